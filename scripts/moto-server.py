"""moto's standalone S3 server (`moto[server]`), for the tests of the S3 data plane (started by scripts/with-s3).

moto checks SigV4 signatures with botocore's signer over the URL its web framework rebuilds, whose path and query
are not encoded as the client sent them (`/` and non-ASCII characters decoded), so it refuses correctly signed
requests whose key or query holds such characters, botocore's own among them. Here the signer it uses first
decodes the path and query and then encodes them as AWS's canonical request does (every reserved character; `/`
kept in the path), which is what S3 itself compares. Nothing else of moto changes.
"""

import sys
from urllib.parse import quote, unquote

from botocore import auth


def canonical_query(self, parts):
    pairs = []
    for pair in parts.query.split("&") if parts.query else []:
        key, _, value = pair.partition("=")
        pairs.append((quote(unquote(key), safe="-_.~"), quote(unquote(value), safe="-_.~")))
    return "&".join(f"{key}={value}" for key, value in sorted(pairs))


auth.SigV4Auth._canonical_query_string_url = canonical_query
auth.S3SigV4Auth._normalize_url_path = lambda self, path: quote(unquote(path), safe="/~")

from moto.server import main  # noqa: E402 (after the patch)

sys.exit(main())
