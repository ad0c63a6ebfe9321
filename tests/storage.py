"""The document storage of a test run: a temporary folder, or with DOCUMENTS_STORAGE=s3 (the
S3 pass of .ci/run, against a local S3 server) a folder of its own per test in the bucket.
An S3 pass whose server cannot be reached fails; it never quietly falls back to the disk."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage


def storage_of_test(settings, tmp_path) -> dict:
    """The STORAGES["default"] of one test."""
    if settings.DOCUMENTS_STORAGE != "s3":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        }
    options = settings.STORAGES["default"]["OPTIONS"]
    bucket_ready(options)
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**options, "location": f"tests/{uuid.uuid4().hex}"},
    }


_READY: set[tuple] = set()


def bucket_ready(options: dict) -> None:
    """Create the bucket if the server has none yet (asked once per run)."""
    where = (options["bucket_name"], options["endpoint_url"])
    if where in _READY:
        return
    storage = S3Storage(**options)
    client = storage.connection.meta.client
    try:
        try:
            client.head_bucket(Bucket=storage.bucket_name)
        except ClientError as error:
            if error.response["Error"]["Code"] not in ("404", "NoSuchBucket"):
                raise
            client.create_bucket(Bucket=storage.bucket_name)
    except (BotoCoreError, ClientError) as error:
        pytest.fail(
            f"DOCUMENTS_STORAGE=s3, but the bucket {storage.bucket_name!r} at "
            f"{storage.endpoint_url or 'AWS'} cannot be reached: {error}",
            pytrace=False,
        )
    _READY.add(where)
