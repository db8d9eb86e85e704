"""Next-best-action with boto3 against `tailor serve`, as the developer guide's action recommendation flow.

Actions and Action interactions datasets (the latter with its automatic event tracker, found through
`describe_dataset`), bulk imports, an `aws-next-best-action` solution with the action metrics, a campaign,
`get_action_recommendations` from the `personalize-runtime` client, and `put_action_interactions` from the
`personalize-events` client taking effect at once (repeat frequency).
"""

import json
import random
import time

import pytest

from conftest import avro_schema, import_and_wait, wait_for
from test_getting_started import CLUSTERS, SCHEMA, USERS, write_interactions

ACTIONS = 8
ROLE = "arn:aws:iam::000000000000:role/personalize"

ACTIONS_SCHEMA = avro_schema(
    "Actions",
    [
        {"name": "ACTION_ID", "type": "string"},
        {"name": "VALUE", "type": ["null", "long"]},
        {"name": "MEMBERSHIP_LEVEL", "type": ["null", "string"], "categorical": True},
        {"name": "REPEAT_FREQUENCY", "type": ["long", "null"]},
    ],
)

ACTION_INTERACTIONS_SCHEMA = avro_schema(
    "ActionInteractions",
    [
        {"name": "USER_ID", "type": "string"},
        {"name": "ACTION_ID", "type": "string"},
        {"name": "EVENT_TYPE", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
    ],
)


def write_actions(path):
    """Action `actionN` suits the users of taste cluster N % 4; action1 waits 7 days before it is shown again."""
    rows = ["ACTION_ID,VALUE,MEMBERSHIP_LEVEL,REPEAT_FREQUENCY"]
    for action in range(ACTIONS):
        rows.append(f"action{action},{5 + action % 3},level{action % CLUSTERS},{7 if action == 1 else ''}")
    path.write_text("\n".join(rows) + "\n")


def write_action_interactions(path):
    """Each user is shown 40 random actions over three weeks ending yesterday: Viewed, then Taken (60% for an
    action of the user's taste, 8% otherwise) or, half of the other times, Not taken."""
    rng = random.Random(11)
    end = int(time.time()) - 86_400
    rows = ["USER_ID,ACTION_ID,EVENT_TYPE,TIMESTAMP"]
    for user in range(USERS):
        for _ in range(40):
            action = rng.randrange(ACTIONS)
            when = end - rng.randrange(21 * 86_400)
            rows.append(f"user{user},action{action},Viewed,{when}")
            if rng.random() < (0.6 if action % CLUSTERS == user % CLUSTERS else 0.08):
                rows.append(f"user{user},action{action},Taken,{when + 60}")
            elif rng.random() < 0.5:
                rows.append(f"user{user},action{action},Not taken,{when + 60}")
    path.write_text("\n".join(rows) + "\n")


def _dataset(personalize, group, name, dataset_type, schema, csv):
    schema_arn = personalize.create_schema(name=name, schema=json.dumps(schema))["schemaArn"]
    dataset = personalize.create_dataset(
        name=name, schemaArn=schema_arn, datasetGroupArn=group, datasetType=dataset_type
    )["datasetArn"]
    job = import_and_wait(personalize, f"{name}-import", dataset, csv, ROLE)
    assert job["status"] == "ACTIVE", job.get("failureReason")
    return dataset


def test_next_best_action_end_to_end(personalize, personalize_runtime, personalize_events, tmp_path, unique):
    write_interactions(tmp_path / "interactions.csv")
    write_actions(tmp_path / "actions.csv")
    write_action_interactions(tmp_path / "action-interactions.csv")
    group = personalize.create_dataset_group(name=unique)["datasetGroupArn"]
    _dataset(personalize, group, f"{unique}-interactions", "Interactions", SCHEMA, tmp_path / "interactions.csv")
    actions = _dataset(personalize, group, f"{unique}-actions", "Actions", ACTIONS_SCHEMA, tmp_path / "actions.csv")
    action_interactions = _dataset(
        personalize, group, f"{unique}-action-interactions", "Action_Interactions", ACTION_INTERACTIONS_SCHEMA,
        tmp_path / "action-interactions.csv",
    )

    # The action interaction event tracker comes with the dataset.
    tracking_id = personalize.describe_dataset(datasetArn=action_interactions)["dataset"]["trackingId"]
    trackers = personalize.list_event_trackers(datasetGroupArn=group)["eventTrackers"]
    assert len(trackers) == 1
    tracker = personalize.describe_event_tracker(eventTrackerArn=trackers[0]["eventTrackerArn"])["eventTracker"]
    assert tracker["trackingId"] == tracking_id

    solution = personalize.create_solution(
        name=f"{unique}-nba", datasetGroupArn=group, recipeArn="arn:aws:personalize:::recipe/aws-next-best-action",
        performAutoTraining=False, solutionConfig={"algorithmHyperParameters": {"action_optimization_period": "14"}},
    )["solutionArn"]
    version = personalize.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    described = lambda: personalize.describe_solution_version(solutionVersionArn=version)["solutionVersion"]
    assert wait_for(lambda: described()["status"]) == "ACTIVE", described().get("failureReason")
    metrics = personalize.get_solution_metrics(solutionVersionArn=version)["metrics"]
    for name in ("auc", "precision", "recall", "coverage", "normalized_discounted_cumulative_gain_at_5"):
        assert 0 <= metrics[name] <= 1, metrics
    assert "precision_at_5" not in metrics

    campaign = personalize.create_campaign(name=f"{unique}-nba", solutionVersionArn=version)["campaignArn"]
    assert wait_for(lambda: personalize.describe_campaign(campaignArn=campaign)["campaign"]["status"]) == "ACTIVE"

    response = personalize_runtime.get_action_recommendations(campaignArn=campaign, userId="user2")
    assert response["recommendationId"]
    listed = response["actionList"]
    assert len(listed) == 5
    scores = [entry["score"] for entry in listed]
    assert all(0 <= score <= 1 for score in scores)
    # Sorted by score; among equally likely actions (to 0.01) the more valuable may come first. Exploration
    # (default weight 0.3: round(5 x 0.15) = 1 slot, never the first) gives a place to an unscored action.
    scored = [score for score in scores if score > 0]
    assert all(a + 0.01 >= b for a, b in zip(scored, scored[1:])), scores
    assert scores[0] > 0 and scores.count(0.0) <= 1, scores
    assert listed[0]["actionId"] in ("action2", "action6"), listed

    # A taken action with a repeat frequency is not recommended again at once; one without is.
    def recommended(user):
        return {
            entry["actionId"]
            for entry in personalize_runtime.get_action_recommendations(
                campaignArn=campaign, userId=user, numResults=ACTIONS
            )["actionList"]
        }

    assert recommended("newcomer") == {f"action{action}" for action in range(ACTIONS)}
    personalize_events.put_action_interactions(
        trackingId=tracking_id,
        actionInteractions=[
            {"userId": "newcomer", "sessionId": "s1", "timestamp": int(time.time()), "eventType": "Taken",
             "actionId": action}
            for action in ("action1", "action3")
        ],
    )
    assert recommended("newcomer") == {f"action{action}" for action in range(ACTIONS) if action != 1}

    with pytest.raises(personalize_events.exceptions.InvalidInputException):
        personalize_events.put_action_interactions(
            trackingId=tracking_id,
            actionInteractions=[{"sessionId": "s1", "timestamp": 1, "eventType": "Clicked", "actionId": "action1"}],
        )
    with pytest.raises(personalize_runtime.exceptions.InvalidInputException):
        personalize_runtime.get_recommendations(campaignArn=campaign, userId="user2")
    with pytest.raises(personalize_runtime.exceptions.InvalidInputException):
        personalize_runtime.get_action_recommendations(campaignArn=campaign, userId="user2", numResults=101)
    # Action datasets cannot be exported, as the guide says.
    with pytest.raises(personalize.exceptions.InvalidInputException):
        personalize.create_dataset_export_job(
            jobName=f"{unique}-export", datasetArn=actions, roleArn=ROLE,
            jobOutput={"s3DataDestination": {"path": str(tmp_path / "export")}},
        )
