"""Recipes beyond user-personalization, jobs and domain recommenders, with boto3 against `tailor serve`.

Personalized ranking (`get_personalized_ranking`), SIMS (`get_recommendations` with an itemId), a batch
inference job writing `<input>.out`, a dataset export job, and an ECOMMERCE recommender served through
`recommenderArn`: every call goes through the wire protocol exactly as an application would make it.
"""

import json

from conftest import imported_interactions, wait_for, wait_until_deleted
from test_getting_started import SCHEMA, cluster_of, write_interactions


def _dataset_group(personalize, tmp_path, name, domain=None, event_type="click"):
    history = write_interactions(tmp_path / "interactions.csv")
    if event_type != "click":
        text = (tmp_path / "interactions.csv").read_text().replace(",click", f",{event_type}")
        (tmp_path / "interactions.csv").write_text(text)
    extra = {"domain": domain} if domain else {}
    group = personalize.create_dataset_group(name=name, **extra)["datasetGroupArn"]
    schema = personalize.create_schema(name=f"{name}-schema", schema=json.dumps(SCHEMA), **extra)["schemaArn"]
    role = "arn:aws:iam::000000000000:role/personalize"
    dataset = imported_interactions(personalize, name, group, schema, tmp_path / "interactions.csv", role)
    return group, dataset, history


def _trained(personalize, group, name, recipe, hyper=None):
    config = {"algorithmHyperParameters": hyper} if hyper else {}
    solution = personalize.create_solution(
        name=name, datasetGroupArn=group, recipeArn=f"arn:aws:personalize:::recipe/{recipe}",
        performAutoTraining=False, solutionConfig=config,
    )["solutionArn"]
    version = personalize.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    status = wait_for(lambda: personalize.describe_solution_version(solutionVersionArn=version)["solutionVersion"]["status"])
    assert status == "ACTIVE"
    return version


def _campaign(personalize, name, version):
    campaign = personalize.create_campaign(name=name, solutionVersionArn=version)["campaignArn"]
    assert wait_for(lambda: personalize.describe_campaign(campaignArn=campaign)["campaign"]["status"]) == "ACTIVE"
    return campaign


def test_ranking_related_items_batch_and_export(personalize, personalize_runtime, tmp_path, unique):
    group, dataset, history = _dataset_group(personalize, tmp_path, unique)

    ranking = _campaign(personalize, f"{unique}-rank",
                        _trained(personalize, group, f"{unique}-rank", "aws-personalized-ranking", {"hidden_dimension": "32"}))
    # The four most popular items of user1's taste and of another taste, none of which user1 has seen.
    popularity = {}
    for seen in history.values():
        for item in seen:
            popularity[item] = popularity.get(item, 0) + 1
    def popular(cluster):
        candidates = [item for item in popularity if cluster_of(item) == cluster and item not in history["user1"]]
        return sorted(candidates, key=lambda item: (-popularity[item], item))[:4]
    items = popular(3) + popular(1)
    ranked = personalize_runtime.get_personalized_ranking(campaignArn=ranking, userId="user1", inputList=items)
    ranked_items = [entry["itemId"] for entry in ranked["personalizedRanking"]]
    assert sorted(ranked_items) == sorted(items)
    assert abs(sum(entry["score"] for entry in ranked["personalizedRanking"]) - 1) < 1e-4
    assert sum(cluster_of(item) == 1 for item in ranked_items[:4]) >= 3, ranked_items

    sims_version = _trained(personalize, group, f"{unique}-sims", "aws-sims")
    sims = _campaign(personalize, f"{unique}-sims", sims_version)
    related = personalize_runtime.get_recommendations(campaignArn=sims, itemId="item5", numResults=10)["itemList"]
    assert len(related) == 10
    assert sum(cluster_of(entry["itemId"]) == 1 for entry in related) >= 8

    # Batch inference: JSON Lines in, <input>.out out, one line per input line.
    (tmp_path / "batch").mkdir()
    (tmp_path / "batch" / "input.json").write_text('{"itemId": "item5"}\n{"itemId": "item6"}\n')
    job = personalize.create_batch_inference_job(
        jobName=f"{unique}-batch", solutionVersionArn=sims_version, numResults=5,
        jobInput={"s3DataSource": {"path": str(tmp_path / "batch" / "input.json")}},
        jobOutput={"s3DataDestination": {"path": str(tmp_path / "batch" / "out")}},
        roleArn="arn:aws:iam::000000000000:role/personalize",
    )["batchInferenceJobArn"]
    # The service's spelling while it runs (the samples' stored outputs), not PENDING / IN_PROGRESS.
    first = personalize.describe_batch_inference_job(batchInferenceJobArn=job)["batchInferenceJob"]["status"]
    assert first in ("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE")
    status = wait_for(lambda: personalize.describe_batch_inference_job(batchInferenceJobArn=job)["batchInferenceJob"]["status"])
    assert status == "ACTIVE"
    lines = [json.loads(line) for line in (tmp_path / "batch" / "out" / "input.json.out").read_text().splitlines()]
    assert [line["input"]["itemId"] for line in lines] == ["item5", "item6"]
    assert all(len(line["output"]["recommendedItems"]) == 5 for line in lines)
    listed = personalize.list_batch_inference_jobs(solutionVersionArn=sims_version)["batchInferenceJobs"]
    assert [entry["jobName"] for entry in listed] == [f"{unique}-batch"]

    # Dataset export: CSV with the schema's header.
    export = personalize.create_dataset_export_job(
        jobName=f"{unique}-export", datasetArn=dataset, ingestionMode="BULK",
        roleArn="arn:aws:iam::000000000000:role/personalize",
        jobOutput={"s3DataDestination": {"path": str(tmp_path / "export")}},
    )["datasetExportJobArn"]
    status = wait_for(lambda: personalize.describe_dataset_export_job(datasetExportJobArn=export)["datasetExportJob"]["status"])
    assert status == "ACTIVE"
    rows = (tmp_path / "export" / f"{unique}-export_part_00000.csv").read_text().splitlines()
    assert rows[0] == "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE"
    assert len(rows) - 1 == sum(len(items) for items in history.values())


def test_ecommerce_recommender(personalize, personalize_runtime, tmp_path, unique):
    group, _, history = _dataset_group(personalize, tmp_path, unique, domain="ECOMMERCE", event_type="Purchase")
    recommender = personalize.create_recommender(
        name=f"{unique}-for-you", datasetGroupArn=group,
        recipeArn="arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you",
    )["recommenderArn"]
    status = wait_for(lambda: personalize.describe_recommender(recommenderArn=recommender)["recommender"]["status"])
    assert status == "ACTIVE"
    described = personalize.describe_recommender(recommenderArn=recommender)["recommender"]
    assert described["modelMetrics"]["normalized_discounted_cumulative_gain_at_10"] > 0
    items = personalize_runtime.get_recommendations(recommenderArn=recommender, userId="user2", numResults=10)["itemList"]
    ids = [entry["itemId"] for entry in items]
    assert len(ids) == 10 and not set(ids) & history["user2"], "purchased items are left out"
    personalize.stop_recommender(recommenderArn=recommender)
    assert personalize.describe_recommender(recommenderArn=recommender)["recommender"]["status"] == "INACTIVE"
    personalize.delete_recommender(recommenderArn=recommender)
    wait_until_deleted(lambda: personalize.describe_recommender(recommenderArn=recommender)["recommender"]["status"])
    assert personalize.list_recommenders(datasetGroupArn=group)["recommenders"] == []
