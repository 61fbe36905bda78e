"""Where attachments' bytes live: PostgreSQL (default), a local directory, or S3-compatible storage.

Each backend implements ``intake.uow.AttachmentStore``; :func:`build_store` picks one
from the settings. Keys are intake's own (``<ticket id>/<attachment id>``), checked
against :data:`KEY` so a key can never name a path outside the store.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from intake.adapters.orm import attachment_blob
from intake.config import AttachmentSettings
from intake.uow import AttachmentStore

KEY = re.compile(r"^[0-9a-f-]{36}/[0-9a-f-]{36}$")


def _checked(key: str) -> str:
    if not KEY.match(key):
        raise ValueError(f"not an attachment key: {key!r}")
    return key


class PostgresStore:
    """Bytes in ``intake.attachment_blob``: every replica sees them, the backup holds them.

    Each call is its own short transaction (the bytes commit before the attachment's row;
    a crash in between leaves an orphan blob, never a row without bytes).
    """

    backend = "postgres"

    def __init__(self, sessions: Callable[[], async_sessionmaker[AsyncSession]]) -> None:
        # A callable: the service's sessionmaker exists only once its lifespan has started.
        self._sessions = sessions

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        stmt = insert(attachment_blob).values(key=_checked(key), data=data)
        stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"data": data})
        async with self._sessions()() as session:
            await session.execute(stmt)
            await session.commit()

    async def get(self, key: str) -> bytes | None:
        async with self._sessions()() as session:
            data: bytes | None = await session.scalar(
                select(attachment_blob.c.data).where(attachment_blob.c.key == _checked(key))
            )
        return data

    async def delete(self, key: str) -> None:
        async with self._sessions()() as session:
            await session.execute(
                delete(attachment_blob).where(attachment_blob.c.key == _checked(key))
            )
            await session.commit()


class LocalStore:
    """Bytes as files under one directory (a single host, or a shared volume)."""

    backend = "local"

    def __init__(self, directory: Path) -> None:
        self._root = directory

    def _path(self, key: str) -> Path:
        return self._root / _checked(key)

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(self._write, self._path(key), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write aside, then rename: a reader never sees half a file, a crash leaves no part.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    async def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)


class S3Store:
    """Bytes in an S3-compatible bucket, through boto3 in a worker thread.

    boto3's own retries (``standard`` mode: exponential backoff with jitter on throttling
    and 5xx) and connect/read timeouts bound every call; the attachment's row records the
    backend and key, so each stored object is accounted for.
    """

    backend = "s3"

    def __init__(self, settings: AttachmentSettings, *, client: Any = None) -> None:
        self._bucket = settings.s3_bucket
        self._client = client or _s3_client(settings)

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(
            self._client.put_object,
            Bucket=self._bucket,
            Key=_checked(key),
            Body=data,
            ContentType=content_type,
        )

    async def get(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self._get, _checked(key))

    def _get(self, key: str) -> bytes | None:
        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=key)
        except self._client.exceptions.NoSuchKey:
            return None
        body = answer["Body"]
        try:
            data: bytes = body.read()
        finally:
            body.close()
        return data

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._client.delete_object, Bucket=self._bucket, Key=_checked(key))


def _s3_client(settings: AttachmentSettings) -> Any:
    import boto3  # only the s3 backend needs it loaded
    from botocore.config import Config

    secret = settings.s3_secret_access_key
    return boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        # None: boto3's own chain (AWS_* variables, a profile, an instance role).
        aws_access_key_id=settings.s3_access_key_id,
        aws_secret_access_key=secret.get_secret_value() if secret else None,
        config=Config(
            connect_timeout=settings.s3_timeout_seconds,
            read_timeout=settings.s3_timeout_seconds,
            retries={"mode": "standard", "max_attempts": settings.s3_max_attempts},
            # Path-style (bucket in the path) works with every S3-compatible server.
            s3={"addressing_style": "path"},
        ),
    )


def build_store(
    settings: AttachmentSettings, *, sessions: Callable[[], async_sessionmaker[AsyncSession]]
) -> AttachmentStore:
    """The store the settings name (``INTAKE_ATTACHMENTS__BACKEND``)."""
    if settings.backend == "local":
        return LocalStore(settings.directory)
    if settings.backend == "s3":
        return S3Store(settings)
    return PostgresStore(sessions)
