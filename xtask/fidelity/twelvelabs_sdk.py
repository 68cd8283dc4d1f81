#!/usr/bin/env python3
"""Fidelity check: the official TwelveLabs Python SDK against `media mock serve`.

Calls every method of the sync client of `twelvelabs==1.3.6` (the generated
clients plus the hand-written wrapper helpers) against the mock, in dependency
order, with arguments shaped like the catalog's examples
(../shared/api/twelvelabs.md). A call passes when the SDK returns without
raising: its pydantic models validated the mock's answer. Streams are checked
strictly, because the SDK silently drops lines it cannot parse: every NDJSON
line and every SSE `data:` payload the SDK received is validated again against
the SDK's own model, and must be non-empty.

Environment:
    TWELVELABS_BASE_URL   e.g. http://127.0.0.1:PORT/twelvelabs/v1.3
    TWELVE_LABS_API_KEY   the mock's key (printed by `media mock serve`)

Output: one line per call (PASS / FAIL / SKIP), then
`N passed, M failed, K skipped of T`. Exit status 0 only when nothing failed.
Run it with `cargo xtask fidelity`, which starts the mock and the venv.
"""

import json
import os
import sys
import tempfile
import threading
import time
import urllib.request

import httpx
import pydantic

import twelvelabs as tl
from twelvelabs import TwelveLabs
from twelvelabs.core.api_error import ApiError
from twelvelabs.core.pagination import SyncPager
from twelvelabs.core.pydantic_utilities import parse_obj_as
from twelvelabs.data_connectors.types.authorize_connection_response import (
    AuthorizeConnectionResponse,
)
from twelvelabs.entity_collections.entities import EntitiesCreateBulkRequestEntitiesItem
from twelvelabs.imports import ImportFilesRequestItemsItem
from twelvelabs.indexes import IndexesCreateRequestModelsItem
from twelvelabs.types.batch_result_item import BatchResultItem
from twelvelabs.types.indexed_assets_list_request_duration import IndexedAssetsListRequestDuration
from twelvelabs.types.response_stream_event import ResponseStreamEvent
from twelvelabs.types.stream_analyze_response import StreamAnalyzeResponse

# How many times a retrieve is repeated while waiting for a status (the mock
# advances its objects on each poll) and the pause between polls.
MAX_POLLS = 25
POLL_PAUSE = 0.05
# Wall-clock limit for the SDK's own wait helpers, which have no timeout.
HELPER_TIMEOUT = 30.0
MESSAGE_LIMIT = 400

VIDEO_URL = "https://example.com/media/fidelity-walk.mp4"
IMAGE_URL = "https://example.com/media/fidelity-face.jpg"
AUDIO_URL = "https://example.com/media/fidelity-podcast.wav"
DOCUMENT_URL = "https://example.com/media/fidelity-manual.pdf"
REDIRECT_URI = "https://app.example.com/oauth/done"
# Not a real MP4/PNG: the mock, like the catalog, types files by extension.
VIDEO_BYTES = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 64
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


class Skip(Exception):
    """Raised inside a step to record it as skipped."""


class Fail(Exception):
    """Raised inside a step when the SDK returned but the answer is unusable."""


# ---------------------------------------------------------------------------
# Recording transport: keeps the bytes of the last response the SDK received,
# so streamed bodies can be validated line by line afterwards.
# ---------------------------------------------------------------------------


class _TeeStream(httpx.SyncByteStream):
    def __init__(self, inner, sink):
        self._inner = inner
        self._sink = sink

    def __iter__(self):
        for chunk in self._inner:
            self._sink.extend(chunk)
            yield chunk

    def close(self):
        self._inner.close()


class RecordingTransport(httpx.BaseTransport):
    def __init__(self):
        self._inner = httpx.HTTPTransport()
        self.last_body = bytearray()
        self.last_request = None

    def handle_request(self, request):
        response = self._inner.handle_request(request)
        self.last_body = bytearray()
        self.last_request = request
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_TeeStream(response.stream, self.last_body),
            extensions=response.extensions,
        )

    def close(self):
        self._inner.close()


# ---------------------------------------------------------------------------
# The runner: one line per call, a summary at the end.
# ---------------------------------------------------------------------------


def one_line(text):
    text = " ".join(str(text).split())
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 3] + "..."


def describe(error):
    status = getattr(error, "status_code", None)
    if status is not None and hasattr(error, "body"):
        body = error.body
        if not isinstance(body, str):
            body = json.dumps(body)
        return one_line(f"{type(error).__name__}: HTTP {status}: {body}")
    if isinstance(error, pydantic.ValidationError):
        parts = []
        for item in error.errors()[:4]:
            where = ".".join(str(p) for p in item.get("loc", ()))
            parts.append(f"{where}: {item.get('msg')} (got {item.get('input')!r:.60})")
        more = f" (+{error.error_count() - 4} more)" if error.error_count() > 4 else ""
        return one_line(f"ValidationError: {'; '.join(parts)}{more}")
    return one_line(f"{type(error).__name__}: {error}")


def unknown_fields(value, path="", seen=None):
    """Paths of fields in the answer that the SDK's models do not declare."""
    found = []
    if isinstance(value, pydantic.BaseModel):
        extra = getattr(value, "model_extra", None) or {}
        found += [f"{path or type(value).__name__}.{k}" for k in extra]
        for name in type(value).model_fields:
            found += unknown_fields(getattr(value, name, None), f"{path or type(value).__name__}.{name}")
    elif isinstance(value, (list, tuple)):
        for item in value[:3]:
            found += unknown_fields(item, f"{path}[]")
    elif isinstance(value, dict):
        for key, item in list(value.items())[:20]:
            if isinstance(item, (pydantic.BaseModel, list)):
                found += unknown_fields(item, f"{path}.{key}")
    return found


class Runner:
    def __init__(self):
        self.results = []  # (status, name, detail)
        self.notes = 0

    def _record(self, status, name, detail="", elapsed=None):
        self.results.append((status, name, detail))
        timing = f"{elapsed * 1000:6.0f} ms" if elapsed is not None else " " * 9
        line = f"{status:<4}  {name:<58} {timing}"
        if detail:
            line += f"  {detail}"
        print(line, flush=True)

    def call(self, name, fn, needs=(), timeout=None):
        """Runs `fn` (the SDK call) and records PASS, FAIL or SKIP; returns its value or None."""
        missing = [label for label, value in needs if value is None]
        if missing:
            self._record("SKIP", name, f"needs {', '.join(missing)}")
            return None
        start = time.monotonic()
        try:
            value = run_with_timeout(fn, timeout) if timeout else fn()
            if isinstance(value, SyncPager):
                value = drain_pager(value)  # fetch and decode every page
            elif hasattr(value, "__next__"):
                value = list(value)  # drain a stream
        except Skip as reason:
            self._record("SKIP", name, one_line(reason))
            return None
        except Exception as error:  # noqa: BLE001 - every failure is a finding
            self._record("FAIL", name, describe(error), time.monotonic() - start)
            return None
        extra = unknown_fields(value)
        detail = ""
        if extra:
            self.notes += 1
            detail = one_line("note: fields the SDK does not declare: " + ", ".join(sorted(set(extra))[:8]))
        self._record("PASS", name, detail, time.monotonic() - start)
        return value if value is not None else True

    def skip(self, name, reason):
        self._record("SKIP", name, reason)

    def poll(self, name, fetch, done, needs=(), describe_state=None):
        """Repeats `fetch` until `done(value)`; one line for the whole wait."""

        def waiting():
            value = None
            for attempt in range(1, MAX_POLLS + 1):
                value = fetch()
                if done(value):
                    return value
                time.sleep(POLL_PAUSE)
            state = describe_state(value) if describe_state else getattr(value, "status", value)
            raise Fail(f"still {state!r} after {MAX_POLLS} polls")

        return self.call(name, waiting, needs=needs)

    def summary(self):
        counts = {s: sum(1 for r in self.results if r[0] == s) for s in ("PASS", "FAIL", "SKIP")}
        total = len(self.results)
        print()
        failed = [r for r in self.results if r[0] == "FAIL"]
        if failed:
            print("Failures:")
            for _, name, detail in failed:
                print(f"  {name}: {detail}")
            print()
        print(
            f"{counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped of {total}"
            + (f" ({self.notes} passing calls carry fields the SDK does not declare)" if self.notes else "")
        )
        return 1 if counts["FAIL"] else 0


MAX_PAGES = 100


def drain_pager(pager):
    """Every item of every page; fails if the pages never run out (the SDK stops only at an empty page)."""
    items = []
    for number, page in enumerate(pager.iter_pages(), 1):
        if number > MAX_PAGES:
            raise Fail(f"the pager did not end after {MAX_PAGES} pages (is `page` ignored?)")
        items.extend(page.items or [])
    return items


def run_with_timeout(fn, timeout):
    """Runs `fn` in a daemon thread (the SDK's wait helpers can loop forever)."""
    box = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as error:  # noqa: BLE001
            box["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise Fail(f"did not return within {timeout:.0f} s")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def expect_error(fn, status, code=None):
    """Runs `fn`, which must raise the SDK's API error with `status` and a flat `{code, message}` body."""
    try:
        fn()
    except ApiError as error:
        body = error.body if isinstance(error.body, dict) else {}
        if error.status_code != status:
            raise Fail(f"expected HTTP {status}, got {describe(error)}")
        if not isinstance(body.get("message"), str) or (code and body.get("code") != code):
            raise Fail(f"expected a flat {{code: {code!r}, message}} body, got {describe(error)}")
        return type(error).__name__
    raise Fail(f"expected HTTP {status}, the call succeeded")


def ready(value):
    return getattr(value, "status", None) == "ready"


def status_in(*statuses):
    return lambda value: getattr(value, "status", None) in statuses


def put_chunk(url, data):
    """PUTs one chunk to a presigned URL (not a TwelveLabs endpoint) and returns its ETag."""
    request = urllib.request.Request(
        url, data=data, method="PUT", headers={"Content-Type": "application/octet-stream"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        etag = response.headers.get("ETag")
    if not etag:
        raise Fail(f"no ETag from PUT {url}")
    return etag.strip('"')


def check_lines(raw, model, what):
    """Validates every non-blank NDJSON line against `model`; returns the parsed items."""
    items = []
    for number, line in enumerate(bytes(raw).decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(parse_obj_as(model, json.loads(line)))
        except Exception as error:  # noqa: BLE001
            raise Fail(f"{what} line {number} does not decode: {describe(error)}: {line[:120]}")
    if not items:
        raise Fail(f"{what}: empty stream")
    return items


def check_sse(raw, model):
    """Validates every SSE `data:` payload (except the `[DONE]` terminator) against `model`."""
    events, done = [], False
    for block in bytes(raw).decode("utf-8").replace("\r\n", "\n").split("\n\n"):
        data = "\n".join(l[5:].lstrip() for l in block.split("\n") if l.startswith("data:"))
        if not data:
            continue
        if data == "[DONE]":
            done = True
            continue
        try:
            events.append(parse_obj_as(model, json.loads(data)))
        except Exception as error:  # noqa: BLE001
            raise Fail(f"SSE event does not decode: {describe(error)}: {data[:120]}")
    if not events:
        raise Fail("empty SSE stream")
    if not done:
        raise Fail("SSE stream did not end with data: [DONE]")
    return events


# ---------------------------------------------------------------------------
# The calls, group by group, in dependency order.
# ---------------------------------------------------------------------------


def main():
    base_url = os.environ.get("TWELVELABS_BASE_URL")
    api_key = os.environ.get("TWELVE_LABS_API_KEY")
    if not base_url or not api_key:
        print("error: set TWELVELABS_BASE_URL and TWELVE_LABS_API_KEY (see `media mock serve`)")
        return 2
    print(f"twelvelabs SDK {tl.__version__ if hasattr(tl, '__version__') else '?'} against {base_url}")
    recorder = RecordingTransport()
    client = TwelveLabs(
        api_key=api_key,
        base_url=base_url,
        httpx_client=httpx.Client(transport=recorder, timeout=30.0, follow_redirects=True),
    )
    r = Runner()
    stamp = time.strftime("%Y%m%d%H%M%S")
    ids = {}

    def need(*names):
        return [(n, ids.get(n)) for n in names]

    def keep(name, value, attr="id"):
        if value is not None and value is not True:
            ids[name] = getattr(value, attr, None)
        return value

    # ---- Indexes ----------------------------------------------------------
    keep(
        "index",
        r.call(
            "indexes.create",
            lambda: client.indexes.create(
                index_name=f"fidelity-{stamp}",
                models=[IndexesCreateRequestModelsItem(model_name="marengo3.0", model_options=["visual", "audio"])],
                addons=["thumbnail"],
            ),
        ),
    )
    r.call(
        "indexes.list",
        lambda: client.indexes.list(
            page=1, page_limit=10, sort_by="created_at", sort_option="desc", model_family="marengo"
        ),
    )
    r.call("indexes.retrieve", lambda: client.indexes.retrieve(ids["index"]), needs=need("index"))
    r.call(
        "indexes.update",
        lambda: client.indexes.update(ids["index"], index_name=f"fidelity-{stamp}-renamed"),
        needs=need("index"),
    )

    # ---- Assets (direct uploads) -------------------------------------------
    keep(
        "video_asset",
        r.call(
            "assets.create (direct video file)",
            lambda: client.assets.create(
                method="direct",
                file=("fidelity-walk.mp4", VIDEO_BYTES, "video/mp4"),
                enable_hls=True,
                enable_thumbnail=True,
                user_metadata=json.dumps({"category": "fidelity", "take": 1, "needsReview": True}),
            ),
        ),
    )
    # Larger than axum's default 2 MB body limit; the catalog allows 200 MB for direct uploads.
    r.call(
        "assets.create (direct, 3 MiB file)",
        lambda: client.assets.create(method="direct", file=("fidelity-3mib.mp4", VIDEO_BYTES[:16] + bytes(3 * 1024 * 1024), "video/mp4")),
    )
    keep(
        "url_asset",
        r.call(
            "assets.create (url)",
            lambda: client.assets.create(method="url", url=VIDEO_URL, filename="fidelity-from-url.mp4"),
        ),
    )
    keep(
        "image_asset",
        r.call(
            "assets.create (direct image file)",
            lambda: client.assets.create(method="direct", file=("fidelity-face.png", PNG_BYTES, "image/png")),
        ),
    )
    keep(
        "image_asset_2",
        r.call(
            "assets.create (image url)",
            lambda: client.assets.create(method="url", url=IMAGE_URL),
        ),
    )
    for key in ("video_asset", "url_asset", "image_asset", "image_asset_2"):
        if r.poll(
            f"assets.retrieve ({key} until ready)",
            lambda key=key: client.assets.retrieve(ids[key]),
            ready,
            needs=need(key),
        ) is None:
            ids.pop(key, None)
    r.call(
        "assets.list",
        lambda: client.assets.list(page=1, page_limit=10, asset_types=["video", "image"], filename="fidelity"),
    )
    r.call(
        "assets.list (asset_ids)",
        lambda: client.assets.list(asset_ids=[ids["video_asset"], ids["image_asset"]]),
        needs=need("video_asset", "image_asset"),
    )
    r.poll(
        "assets.retrieve_transcription",
        lambda: client.assets.retrieve_transcription(ids["video_asset"], include=["words", "sentences", "utterances"]),
        ready,
        needs=need("video_asset"),
    )
    metadata = {"category": "recentlyAdded", "batchNumber": 5, "rating": 9.3, "needsReview": True, "hashtags": ["summer", "vlog"]}
    r.call(
        "assets.update_user_metadata",
        lambda: client.assets.update_user_metadata(ids["video_asset"], user_metadata=metadata),
        needs=need("video_asset"),
    )
    r.call(
        "assets.replace_user_metadata",
        lambda: client.assets.replace_user_metadata(ids["video_asset"], user_metadata={"category": "replaced"}),
        needs=need("video_asset"),
    )
    r.call(
        "assets.delete_user_metadata",
        lambda: client.assets.delete_user_metadata(ids["url_asset"]),
        needs=need("url_asset"),
    )

    # ---- Multipart uploads -----------------------------------------------
    total_size = 6 * 1024 * 1024 + 12345
    session = r.call(
        "multipart_upload.create",
        lambda: client.multipart_upload.create(
            filename="fidelity-multipart.mp4",
            type="video",
            total_size=total_size,
            enable_hls=False,
            enable_thumbnail=False,
            user_metadata={"source": "fidelity"},
        ),
    )
    upload_id = getattr(session, "upload_id", None) if session else None
    ids["upload"] = upload_id
    chunk_size = getattr(session, "chunk_size", None) if session else None
    total_chunks = getattr(session, "total_chunks", None) if session else None

    def chunk(index):
        start = (index - 1) * chunk_size
        return bytes([index % 251]) * (min(chunk_size, total_size - start))

    def upload_and_report(indexes, urls):
        completed = []
        for index in indexes:
            url = urls.get(index)
            if not url:
                raise Fail(f"no presigned URL for chunk {index}")
            data = chunk(index)
            completed.append(
                tl.CompletedChunk(chunk_index=index, proof=put_chunk(url, data), proof_type="etag", chunk_size=len(data))
            )
        return client.multipart_upload.report_chunk_batch(ids["upload"], completed_chunks=completed)

    if session and chunk_size and total_chunks:
        first_urls = {u.chunk_index: u.url for u in (session.upload_urls or [])}
        r.call("multipart_upload.report_chunk_batch (chunk 1)", lambda: upload_and_report([1], first_urls), needs=need("upload"))
        r.call("multipart_upload.list_incomplete_uploads", lambda: client.multipart_upload.list_incomplete_uploads(page=1, page_limit=10))
        rest = list(range(2, total_chunks + 1))
        more = None
        if rest:
            more = r.call(
                "multipart_upload.get_additional_presigned_urls",
                lambda: client.multipart_upload.get_additional_presigned_urls(ids["upload"], start=2, count=len(rest)),
                needs=need("upload"),
            )
        else:
            r.skip("multipart_upload.get_additional_presigned_urls", "the file fits in one chunk")
        if more:
            urls = {u.chunk_index: u.url for u in (more.upload_urls or [])}
            report = r.call("multipart_upload.report_chunk_batch (rest)", lambda: upload_and_report(rest, urls))
            if report is not None and not getattr(report, "url", None):
                print("      note: the last report carried no `url` (catalog: it appears once every chunk is reported)")
        r.call(
            "multipart_upload.get_status",
            lambda: client.multipart_upload.get_status(ids["upload"], page=1, page_limit=10),
            needs=need("upload"),
        )
        r.call(
            "multipart_upload.wait_for_upload_completion (helper)",
            lambda: client.multipart_upload.wait_for_upload_completion(ids["upload"], sleep_interval=0.1, max_wait_time=20),
            needs=need("upload"),
            timeout=HELPER_TIMEOUT,
        )
    else:
        for name in (
            "report_chunk_batch (chunk 1)", "list_incomplete_uploads", "get_additional_presigned_urls",
            "report_chunk_batch (rest)", "get_status", "wait_for_upload_completion (helper)",
        ):
            r.skip(f"multipart_upload.{name}", "needs a multipart session")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fidelity-helper.mp4")
        with open(path, "wb") as f:
            f.write(bytes([7]) * (5 * 1024 * 1024 + 4321))
        result = r.call(
            "multipart_upload.upload_file (helper)",
            lambda: client.multipart_upload.upload_file(path, file_type="video", batch_size=10, max_workers=2, max_retries=0, retry_delay=0.1),
            timeout=HELPER_TIMEOUT,
        )
        if result is not None:
            keep("helper_asset", result, "asset_id")
    r.poll(
        "assets.retrieve (multipart asset until ready)",
        lambda: client.assets.retrieve(ids["helper_asset"]),
        ready,
        needs=need("helper_asset"),
    )

    # ---- Indexed assets ----------------------------------------------------
    keep(
        "indexed_asset",
        r.call(
            "indexes.indexed_assets.create",
            lambda: client.indexes.indexed_assets.create(
                ids["index"], asset_id=ids["video_asset"], enable_video_stream=True, user_metadata={"scene": "street"}
            ),
            needs=need("index", "video_asset"),
        ),
    )
    r.poll(
        "indexes.indexed_assets.retrieve (until ready)",
        lambda: client.indexes.indexed_assets.retrieve(ids["index"], ids["indexed_asset"]),
        ready,
        needs=need("index", "indexed_asset"),
    )
    r.call(
        "indexes.indexed_assets.retrieve (embedding, transcription)",
        lambda: client.indexes.indexed_assets.retrieve(
            ids["index"], ids["indexed_asset"], embedding_option=["visual", "audio", "transcription"], transcription=True
        ),
        needs=need("index", "indexed_asset"),
    )
    r.call(
        "indexes.indexed_assets.list",
        lambda: client.indexes.indexed_assets.list(
            ids["index"], page=1, page_limit=10, sort_by="created_at", sort_option="desc", status=["ready", "indexing"],
            duration=IndexedAssetsListRequestDuration(gte=0, lte=7200),
        ),
        needs=need("index"),
    )
    r.call(
        "indexes.indexed_assets.list_by_asset",
        lambda: client.indexes.indexed_assets.list_by_asset(ids["video_asset"], page=1, page_limit=10),
        needs=need("video_asset"),
    )
    r.call(
        "indexes.indexed_assets.update",
        lambda: client.indexes.indexed_assets.update(ids["index"], ids["indexed_asset"], user_metadata={"scene": "park", "reviewed": True}),
        needs=need("index", "indexed_asset"),
    )

    # ---- Legacy indexing tasks and videos -----------------------------------
    task = r.call(
        "tasks.create (video_url)",
        lambda: client.tasks.create(
            index_id=ids["index"], video_url=VIDEO_URL, enable_video_stream=True, user_metadata=json.dumps({"legacy": True})
        ),
        needs=need("index"),
    )
    keep("task", task)
    if task:
        ids["video"] = getattr(task, "video_id", None)
    keep(
        "file_task",
        r.call(
            "tasks.create (video_file)",
            lambda: client.tasks.create(index_id=ids["index"], video_file=("fidelity-task.mp4", VIDEO_BYTES, "video/mp4")),
            needs=need("index"),
        ),
    )
    r.poll("tasks.retrieve (until ready)", lambda: client.tasks.retrieve(ids["task"]), ready, needs=need("task"))
    r.call(
        "tasks.wait_for_done (helper)",
        lambda: client.tasks.wait_for_done(ids["file_task"], sleep_interval=0.05),
        needs=need("file_task"),
        timeout=HELPER_TIMEOUT,
    )
    r.call(
        "tasks.list",
        lambda: client.tasks.list(
            page=1, page_limit=10, sort_by="created_at", sort_option="desc", index_id=ids["index"], status=["ready", "indexing"]
        ),
        needs=need("index"),
    )
    bulk = r.call(
        "tasks.create_bulk (helper)",
        lambda: client.tasks.create_bulk(index_id=ids["index"], video_urls=[VIDEO_URL, "https://example.com/media/fidelity-2.mp4"]),
        needs=need("index"),
    )
    if bulk is not None and len(bulk) != 2:
        print(f"      note: tasks.create_bulk created {len(bulk)} of 2 tasks (the helper prints and skips failures)")
    r.call(
        "indexes.videos.list",
        lambda: client.indexes.videos.list(
            ids["index"], page=1, page_limit=10, sort_by="created_at", sort_option="desc", duration={"gte": 0, "lte": 7200}
        ),
        needs=need("index"),
    )
    r.call(
        "indexes.videos.retrieve",
        lambda: client.indexes.videos.retrieve(ids["index"], ids["video"], embedding_option=["visual"], transcription=True),
        needs=need("index", "video"),
    )
    r.call(
        "indexes.videos.update",
        lambda: client.indexes.videos.update(ids["index"], ids["video"], user_metadata={"legacy": True, "rating": 4}),
        needs=need("index", "video"),
    )

    # ---- Entity collections and entities -------------------------------------
    keep(
        "collection",
        r.call(
            "entity_collections.create",
            lambda: client.entity_collections.create(name=f"fidelity-people-{stamp}", description="People in the fidelity videos"),
        ),
    )
    r.call(
        "entity_collections.list",
        lambda: client.entity_collections.list(page=1, page_limit=10, sort_by="created_at", sort_option="desc"),
    )
    r.call("entity_collections.retrieve", lambda: client.entity_collections.retrieve(ids["collection"]), needs=need("collection"))
    r.call(
        "entity_collections.update",
        lambda: client.entity_collections.update(ids["collection"], description="Updated by the fidelity check"),
        needs=need("collection"),
    )
    keep(
        "entity",
        r.call(
            "entity_collections.entities.create",
            lambda: client.entity_collections.entities.create(
                ids["collection"], name="Alex", asset_ids=[ids["image_asset"]], description="The walker",
                metadata={"team": "red", "jersey": 10},
            ),
            needs=need("collection", "image_asset"),
        ),
    )
    r.call(
        "entity_collections.entities.create_bulk",
        lambda: client.entity_collections.entities.create_bulk(
            ids["collection"],
            entities=[
                EntitiesCreateBulkRequestEntitiesItem(name="Blake", asset_ids=[ids["image_asset"]]),
                EntitiesCreateBulkRequestEntitiesItem(name="Casey", asset_ids=[ids["image_asset"]], description="Bystander"),
            ],
        ),
        needs=need("collection", "image_asset"),
    )
    r.call(
        "entity_collections.entities.list",
        lambda: client.entity_collections.entities.list(ids["collection"], page=1, page_limit=10, sort_by="name", sort_option="asc"),
        needs=need("collection"),
    )
    r.poll(
        "entity_collections.entities.retrieve (until ready)",
        lambda: client.entity_collections.entities.retrieve(ids["collection"], ids["entity"]),
        ready,
        needs=need("collection", "entity"),
    )
    r.call(
        "entity_collections.entities.update",
        lambda: client.entity_collections.entities.update(ids["collection"], ids["entity"], name="Alex K.", metadata={"team": "blue"}),
        needs=need("collection", "entity"),
    )
    r.call(
        "entity_collections.entities.create_assets",
        lambda: client.entity_collections.entities.create_assets(ids["collection"], ids["entity"], asset_ids=[ids["image_asset_2"]]),
        needs=need("collection", "entity", "image_asset_2"),
    )
    r.call(
        "entity_collections.entities.delete_assets",
        lambda: client.entity_collections.entities.delete_assets(ids["collection"], ids["entity"], asset_ids=[ids["image_asset_2"]]),
        needs=need("collection", "entity", "image_asset_2"),
    )
    r.call(
        "entity_collections.entities.list_by_asset",
        lambda: client.entity_collections.entities.list_by_asset(ids["image_asset"], page=1, page_limit=10),
        needs=need("image_asset"),
    )

    # ---- Search ------------------------------------------------------------------
    first = r.call(
        "search.create (text, page_limit 1)",
        lambda: client.search.create(
            index_id=ids["index"], search_options=["visual", "audio"], query_text="a person walking a dog",
            group_by="clip", operator="or", page_limit=1, include_user_metadata=True,
        ),
        needs=need("index"),
    )
    token = getattr(getattr(first, "page_info", None), "next_page_token", None) if first else None
    if first and not token:
        r.skip("search.retrieve (next page)", "the first page had no next_page_token")
    else:
        r.call(
            "search.retrieve (next page)",
            lambda: client.search.retrieve(token, include_user_metadata=True),
            needs=[("a page token", token)],
        )
    r.call(
        "search.create (group_by video, transcription, filter)",
        lambda: client.search.create(
            index_id=ids["index"], search_options=["visual", "transcription"], query_text="street", group_by="video",
            transcription_options=["lexical", "semantic"], filter=json.dumps({"duration": {"gte": 0}}),
        ),
        needs=need("index"),
    )
    r.call(
        "search.create (image query by URL)",
        lambda: client.search.create(index_id=ids["index"], search_options=["visual"], query_media_type="image", query_media_url=IMAGE_URL),
        needs=need("index"),
    )
    r.call(
        "search.create (image query file)",
        lambda: client.search.create(
            index_id=ids["index"], search_options=["visual"], query_media_type="image", query_media_file=("query.png", PNG_BYTES, "image/png")
        ),
        needs=need("index"),
    )
    r.call(
        "search.create (entity search)",
        lambda: client.search.create(index_id=ids["index"], search_options=["visual"], query_text=f"<@{ids['entity']}> is walking"),
        needs=need("index", "entity"),
    )
    r.call(
        "search.query (helper pager)",
        lambda: client.search.query(index_id=ids["index"], search_options=["visual"], query_text="walking", page_limit=1),
        needs=need("index"),
    )

    # ---- Embeddings v1 (deprecated) --------------------------------------------------
    r.call("embed.create (text)", lambda: client.embed.create(model_name="marengo3.0", text="a man walking a dog"))
    r.call("embed.create (image url)", lambda: client.embed.create(model_name="marengo3.0", image_url=IMAGE_URL))
    r.call(
        "embed.create (image file, audio url)",
        lambda: client.embed.create(
            model_name="marengo3.0", image_file=("face.png", PNG_BYTES, "image/png"), audio_url=AUDIO_URL, audio_start_offset_sec=1.5
        ),
    )
    keep(
        "embed_task",
        r.call(
            "embed.tasks.create (video_url)",
            lambda: client.embed.tasks.create(
                model_name="marengo3.0", video_url=VIDEO_URL, video_start_offset_sec=0, video_end_offset_sec=30,
                video_clip_length=6, video_embedding_scope=["clip", "video"],
            ),
        ),
    )
    keep(
        "embed_file_task",
        r.call(
            "embed.tasks.create (video_file)",
            lambda: client.embed.tasks.create(model_name="marengo3.0", video_file=("clip.mp4", VIDEO_BYTES, "video/mp4")),
        ),
    )
    r.poll("embed.tasks.status (until ready)", lambda: client.embed.tasks.status(ids["embed_task"]), ready, needs=need("embed_task"))
    r.call(
        "embed.tasks.wait_for_done (helper)",
        lambda: client.embed.tasks.wait_for_done(ids["embed_file_task"], sleep_interval=0.05),
        needs=need("embed_file_task"),
        timeout=HELPER_TIMEOUT,
    )
    r.call(
        "embed.tasks.retrieve",
        lambda: client.embed.tasks.retrieve(ids["embed_task"], embedding_option=["visual", "audio"]),
        needs=need("embed_task"),
    )
    r.call("embed.tasks.list", lambda: client.embed.tasks.list(page=1, page_limit=10))
    bulk = r.call(
        "embed.tasks.create_bulk (helper)",
        lambda: client.embed.tasks.create_bulk(
            model_name="marengo3.0",
            videos=[{"video_url": VIDEO_URL, "video_embedding_scope": ["clip"]}, {"video_url": AUDIO_URL.replace(".wav", ".mp4")}],
        ),
    )
    if bulk is not None and len(bulk) != 2:
        print(f"      note: embed.tasks.create_bulk created {len(bulk)} of 2 tasks (the helper prints and skips failures)")

    # ---- Embeddings v2 ---------------------------------------------------------
    r.call(
        "embed.v_2.create (text, marengo3.0)",
        lambda: client.embed.v_2.create(input_type="text", model_name="marengo3.0", text=tl.TextInputRequest(input_text="a man walking a dog")),
    )
    r.call(
        "embed.v_2.create (image)",
        lambda: client.embed.v_2.create(input_type="image", model_name="marengo3.0", image=tl.ImageInputRequest(media_source=tl.MediaSource(url=IMAGE_URL))),
    )
    r.call(
        "embed.v_2.create (text_image)",
        lambda: client.embed.v_2.create(
            input_type="text_image", model_name="marengo3.0",
            text_image=tl.TextImageInputRequest(media_source=tl.MediaSource(url=IMAGE_URL), input_text="this face, smiling"),
        ),
    )
    r.call(
        "embed.v_2.create (audio)",
        lambda: client.embed.v_2.create(
            input_type="audio", model_name="marengo3.0",
            audio=tl.AudioInputRequest(media_source=tl.MediaSource(url=AUDIO_URL), embedding_option=["audio", "transcription"], embedding_scope=["clip", "asset"]),
        ),
    )
    r.call(
        "embed.v_2.create (video)",
        lambda: client.embed.v_2.create(
            input_type="video", model_name="marengo3.0",
            video=tl.VideoInputRequest(
                media_source=tl.MediaSource(asset_id=ids["video_asset"]),
                segmentation=tl.VideoSegmentation_Fixed(fixed=tl.VideoSegmentationFixedFixed(duration_sec=6)),
                embedding_option=["visual", "audio"], embedding_scope=["clip", "asset"],
            ),
        ),
        needs=need("video_asset"),
    )
    r.call(
        "embed.v_2.create (multi_input, marengo3.5)",
        lambda: client.embed.v_2.create(
            input_type="multi_input", model_name="marengo3.5", embedding_dimension=512,
            multi_input=tl.MultiInputRequest(
                input_text="<@face> walking a dog",
                media_sources=[tl.MultiInputMediaSource(name="face", media_type="image", url=IMAGE_URL)],
            ),
        ),
    )
    keep(
        "embed_v2_task",
        r.call(
            "embed.v_2.tasks.create (video, marengo3.0)",
            lambda: client.embed.v_2.tasks.create(
                input_type="video", model_name="marengo3.0",
                video=tl.AsyncVideoInputRequest(
                    media_source=tl.MediaSource(url=VIDEO_URL), embedding_option=["visual", "audio"], embedding_scope=["clip", "asset"]
                ),
            ),
        ),
    )
    r.call(
        "embed.v_2.tasks.create (audio, marengo3.5)",
        lambda: client.embed.v_2.tasks.create(
            input_type="audio", model_name="marengo3.5",
            audio=tl.AsyncAudioInputRequest(
                media_source=tl.MediaSource(url=AUDIO_URL), start_sec=0.0, end_sec=3600.0,
                segmentation=tl.AsyncTemporalSegmentation(
                    temporal=tl.TemporalSegmentation_Fixed(fixed=tl.TemporalSegmentationFixedFixed(duration_sec=6))
                ),
                embedding_option=["audio"], embedding_scope=["clip", "asset"],
            ),
        ),
    )
    r.call(
        "embed.v_2.tasks.create (document, marengo3.5)",
        lambda: client.embed.v_2.tasks.create(
            input_type="document", model_name="marengo3.5",
            document=tl.AsyncDocumentInputRequest(
                media_source=tl.MediaSource(url=DOCUMENT_URL),
                segmentation=tl.DocumentSegmentation(spatial=tl.DocumentSpatialSegmentation(strategy="standard")),
                embedding_option=["visual"], embedding_scope=["local"],
            ),
        ),
    )
    r.call(
        "embed.v_2.tasks.create (image, marengo3.5)",
        lambda: client.embed.v_2.tasks.create(
            input_type="image", model_name="marengo3.5",
            image=tl.AsyncImageInputRequest(media_source=tl.MediaSource(url=IMAGE_URL), embedding_scope=["asset"]),
        ),
    )
    r.poll(
        "embed.v_2.tasks.retrieve (until ready)",
        lambda: client.embed.v_2.tasks.retrieve(ids["embed_v2_task"]),
        ready,
        needs=need("embed_v2_task"),
    )
    r.call("embed.v_2.tasks.list", lambda: client.embed.v_2.tasks.list(page=1, page_limit=10, status="ready"))

    # ---- Analyze (sync and streamed) ---------------------------------------------
    video_ctx = lambda: tl.VideoContext_AssetId(asset_id=ids["video_asset"])  # noqa: E731
    r.call(
        "analyze (asset video, prompt)",
        lambda: client.analyze(video=video_ctx(), prompt="Summarize this video in two sentences.", temperature=0.2, max_tokens=512),
        needs=need("video_asset"),
    )
    r.call(
        "analyze (url video, json_schema)",
        lambda: client.analyze(
            model_name="pegasus1.5", video=tl.VideoContext_Url(url=VIDEO_URL), prompt="List the people in this video.",
            response_format=tl.SyncResponseFormat(
                type="json_schema",
                json_schema={"type": "object", "properties": {"people": {"type": "array", "items": {"type": "string"}}}, "required": ["people"]},
            ),
            start_time=0.0, end_time=30.0,
        ),
    )
    r.call(
        "analyze (images, pegasus1.6)",
        lambda: client.analyze(
            model_name="pegasus1.6", image=[tl.AnalyzeImageInput(name="shot", url=IMAGE_URL)], prompt="Describe <@shot>.",
        ),
    )

    def analyze_stream():
        events = list(client.analyze_stream(video=video_ctx(), prompt="Describe the opening scene."))
        strict = check_lines(recorder.last_body, StreamAnalyzeResponse, "analyze stream")
        kinds = [getattr(e, "event_type", None) for e in strict]
        if len(events) != len(strict) or kinds[0] != "stream_start" or kinds[-1] != "stream_end":
            raise Fail(f"unexpected event sequence {kinds} (SDK yielded {len(events)})")
        return strict

    r.call("analyze_stream (NDJSON)", analyze_stream, needs=need("video_asset"))

    # ---- Analyze tasks and batches -----------------------------------------------
    keep(
        "analyze_task",
        r.call(
            "analyze_async.tasks.create (general)",
            lambda: client.analyze_async.tasks.create(
                custom_id=f"fidelity-{stamp}", video=video_ctx(), prompt="Generate a detailed summary of this video in 3-4 sentences",
                temperature=0.2, max_tokens=1000,
            ),
            needs=need("video_asset"),
        ),
        "task_id",
    )
    keep(
        "segment_task",
        r.call(
            "analyze_async.tasks.create (time_based_metadata)",
            lambda: client.analyze_async.tasks.create(
                model_name="pegasus1.6", video=tl.VideoContext_Url(url=VIDEO_URL), analysis_mode="time_based_metadata",
                response_format=tl.AsyncResponseFormat(
                    type="segment_definitions",
                    segment_time_format="seconds",
                    segment_definitions=[
                        tl.SegmentDefinition(
                            id="scenes", description="Each distinct scene",
                            fields=[
                                tl.SegmentField(name="label", type="string", description="A short scene label"),
                                tl.SegmentField(name="outdoor", type="boolean", description="Whether it is outdoors"),
                            ],
                        )
                    ],
                ),
                min_segment_duration=2, max_segment_duration=30,
            ),
        ),
        "task_id",
    )
    keep(
        "cancel_task",
        r.call(
            "analyze_async.tasks.create (to cancel)",
            lambda: client.analyze_async.tasks.create(video=tl.VideoContext_Url(url=VIDEO_URL), prompt="Count the cars."),
        ),
        "task_id",
    )
    r.call("analyze_async.tasks.cancel", lambda: client.analyze_async.tasks.cancel(ids["cancel_task"]), needs=need("cancel_task"))
    for key in ("analyze_task", "segment_task"):
        r.poll(
            f"analyze_async.tasks.retrieve ({key} until ready)",
            lambda key=key: client.analyze_async.tasks.retrieve(ids[key]),
            status_in("ready", "failed", "canceled"),
            needs=need(key),
        )
    r.call("analyze_async.tasks.list", lambda: client.analyze_async.tasks.list(page=1, page_limit=10, analysis_mode="general"))
    r.call(
        "analyze_async.tasks.list (filters)",
        lambda: client.analyze_async.tasks.list(status="ready", asset_id=ids["video_asset"]),
        needs=need("video_asset"),
    )
    keep(
        "batch",
        r.call(
            "analyze_async.batches.create",
            lambda: client.analyze_async.batches.create(
                model_name="pegasus1.5",
                analysis_mode="general",
                defaults=tl.BatchDefaults(
                    prompt=tl.BatchPrompt(input_text="Generate a 3-sentence executive summary of this video."), temperature=0.2, max_tokens=4096
                ),
                requests=[
                    tl.BatchItemRequest(video=tl.BatchVideoContext(type="asset_id", asset_id=ids["video_asset"]), custom_id="summary-001"),
                    tl.BatchItemRequest(
                        video=tl.BatchVideoContext(type="asset_id", asset_id=ids["url_asset"]),
                        custom_id="action-002",
                        prompt=tl.BatchPrompt(input_text="List all action items discussed."),
                    ),
                ],
            ),
            needs=need("video_asset", "url_asset"),
        ),
        "batch_id",
    )
    keep(
        "cancel_batch",
        r.call(
            "analyze_async.batches.create (to cancel)",
            lambda: client.analyze_async.batches.create(
                model_name="pegasus1.5", analysis_mode="general",
                requests=[tl.BatchItemRequest(video=tl.BatchVideoContext(type="asset_id", asset_id=ids["video_asset"]), prompt=tl.BatchPrompt(input_text="Title?"))],
            ),
            needs=need("video_asset"),
        ),
        "batch_id",
    )
    r.call(
        "analyze_async.batches.list",
        lambda: client.analyze_async.batches.list(page=1, page_limit=10, status=["pending", "processing", "completed"], analysis_mode=["general"]),
    )
    r.poll(
        "analyze_async.batches.retrieve (until completed)",
        lambda: client.analyze_async.batches.retrieve(ids["batch"]),
        status_in("completed", "canceled", "expired"),
        needs=need("batch"),
    )

    def batch_results():
        items = list(client.analyze_async.batches.results(ids["batch"]))
        strict = check_lines(recorder.last_body, BatchResultItem, "batch results")
        if len(items) != len(strict):
            raise Fail(f"the SDK yielded {len(items)} of {len(strict)} lines")
        return strict

    r.call("analyze_async.batches.results (NDJSON)", batch_results, needs=need("batch"))
    r.call("analyze_async.batches.cancel", lambda: client.analyze_async.batches.cancel(ids["cancel_batch"]), needs=need("cancel_batch"))
    r.poll(
        "analyze_async.batches.retrieve (canceled batch)",
        lambda: client.analyze_async.batches.retrieve(ids["cancel_batch"]),
        status_in("canceled", "completed", "expired"),
        needs=need("cancel_batch"),
    )

    # ---- Knowledge stores, items, item collections -----------------------------------
    keep(
        "store",
        r.call(
            "knowledge_stores.create",
            lambda: client.knowledge_stores.create(
                name=f"Product Demo Analysis {stamp}",
                description="Videos and stills used by the fidelity check",
                ingestion_config=tl.IngestionConfig(
                    enrichment_config=tl.EnrichmentConfig_Description(description="Note the products shown and who presents them.")
                ),
                metadata={"team": "fidelity", "quarter": "Q1"},
            ),
        ),
    )
    r.call("knowledge_stores.list", lambda: client.knowledge_stores.list(page=1, page_limit=10, sort_by="created_at", sort_option="desc"))
    r.call("knowledge_stores.retrieve", lambda: client.knowledge_stores.retrieve(ids["store"]), needs=need("store"))
    r.call(
        "knowledge_stores.update",
        lambda: client.knowledge_stores.update(ids["store"], description="Updated by the fidelity check", metadata={"team": "fidelity"}),
        needs=need("store"),
    )
    keep(
        "item",
        r.call(
            "knowledge_store_items.create (video)",
            lambda: client.knowledge_store_items.create(ids["store"], asset_id=ids["video_asset"], asset_type="video", metadata={"speaker": "Alex"}),
            needs=need("store", "video_asset"),
        ),
    )
    keep(
        "image_item",
        r.call(
            "knowledge_store_items.create (image)",
            lambda: client.knowledge_store_items.create(ids["store"], asset_id=ids["image_asset"], asset_type="image"),
            needs=need("store", "image_asset"),
        ),
    )
    for key in ("item", "image_item"):
        r.poll(
            f"knowledge_store_items.retrieve ({key} until ready)",
            lambda key=key: client.knowledge_store_items.retrieve(ids["store"], ids[key]),
            status_in("ready", "failed"),
            needs=need("store", key),
        )
    r.call(
        "knowledge_store_items.list",
        lambda: client.knowledge_store_items.list(ids["store"], page=1, page_limit=10, sort_by="created_at", sort_option="desc", status=["ready"]),
        needs=need("store"),
    )
    keep(
        "item_collection",
        r.call(
            "knowledge_store_item_collections.create",
            lambda: client.knowledge_store_item_collections.create(ids["store"], name="Q1 highlights", description="Best moments", metadata={"quarter": "Q1"}),
            needs=need("store"),
        ),
    )
    r.call(
        "knowledge_store_item_collections.list",
        lambda: client.knowledge_store_item_collections.list(ids["store"], page=1, page_limit=10, sort_by="name", sort_option="asc"),
        needs=need("store"),
    )
    r.call(
        "knowledge_store_item_collections.retrieve",
        lambda: client.knowledge_store_item_collections.retrieve(ids["store"], ids["item_collection"]),
        needs=need("store", "item_collection"),
    )
    r.call(
        "knowledge_store_item_collections.update",
        lambda: client.knowledge_store_item_collections.update(ids["store"], ids["item_collection"], name="Q1 top highlights"),
        needs=need("store", "item_collection"),
    )
    r.call(
        "knowledge_store_item_collections.add_items",
        lambda: client.knowledge_store_item_collections.add_items(ids["store"], ids["item_collection"], item_ids=[ids["item"], ids["image_item"]]),
        needs=need("store", "item_collection", "item", "image_item"),
    )
    r.call(
        "knowledge_store_item_collections.list_items",
        lambda: client.knowledge_store_item_collections.list_items(ids["store"], ids["item_collection"], page=1, page_limit=10),
        needs=need("store", "item_collection"),
    )
    page = r.call(
        "knowledge_stores.search (page_size 1)",
        lambda: client.knowledge_stores.search(
            ids["store"],
            query=tl.KnowledgeStoreSearchQuery(text="A person presenting a product"),
            filter=tl.SearchKnowledgeStoreFilter(asset_type=tl.AssetTypeFilter(in_=["video", "image"])),
            search_options=tl.SearchKnowledgeStoreOptions(video=tl.VideoSearchOptions(modalities=["visual", "audio"])),
            group_by="none",
            page_size=1,
            include_metadata=True,
        ),
        needs=need("store"),
    )
    ks_token = getattr(page, "next_page_token", None) if page else None
    if page and not ks_token:
        r.skip("knowledge_stores.search (page_token)", "the first page had no next_page_token")
    else:
        r.call(
            "knowledge_stores.search (page_token)",
            lambda: client.knowledge_stores.search(
                ids["store"], query=tl.KnowledgeStoreSearchQuery(text="A person presenting a product"), page_size=1, page_token=ks_token
            ),
            needs=need("store") + [("a page token", ks_token)],
        )
    r.call(
        "knowledge_stores.search (group_by item, item filter)",
        lambda: client.knowledge_stores.search(
            ids["store"], query=tl.KnowledgeStoreSearchQuery(text="product close-up"), group_by="item",
            filter=tl.SearchKnowledgeStoreFilter(item_id=tl.ItemIdFilter(eq=ids["item"])),
        ),
        needs=need("store", "item"),
    )

    # ---- Responses (Jockey) --------------------------------------------------------
    question = [tl.ResponseInputItem(type="message", role="user", content="Give me the highlight of {{sel:0}}.")]
    answer = r.call(
        "responses.create",
        lambda: client.responses.create(
            knowledge_store_id=ids["store"], input=question, instructions="Answer in one paragraph.", include=["intermediate_outputs"],
            selections=[tl.ResponseSelection(kind="item", id=ids["item"])], text=tl.TextParam(format=tl.TextParamFormat_Text()),
        ),
        needs=need("store", "item"),
    )
    ids["session"] = getattr(answer, "session_id", None) if answer else None
    r.call(
        "responses.create (session follow-up, json_schema)",
        lambda: client.responses.create(
            knowledge_store_id=ids["store"], session_id=ids["session"],
            input=[tl.ResponseInputItem(type="message", role="user", content="And who presents it?")],
            text=tl.TextParam(
                format=tl.TextParamFormat_JsonSchema(
                    name="presenter", schema_={"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
                )
            ),
        ),
        needs=need("store", "session"),
    )

    def responses_stream():
        events = list(client.responses.create_stream(knowledge_store_id=ids["store"], input=question, selections=[tl.ResponseSelection(kind="item", id=ids["item"])]))
        strict = check_sse(recorder.last_body, ResponseStreamEvent)
        kinds = [getattr(e, "type", None) for e in strict]
        if len(events) != len(strict) or "response.completed" not in kinds:
            raise Fail(f"unexpected event sequence {kinds} (SDK yielded {len(events)})")
        return strict

    r.call("responses.create_stream (SSE)", responses_stream, needs=need("store", "item"))

    # ---- Data connectors and imports ------------------------------------------------
    keep("redirect_uri", r.call("data_connectors.create_redirect_uri", lambda: client.data_connectors.create_redirect_uri(redirect_uri=REDIRECT_URI)))
    r.call("data_connectors.list_redirect_uris", lambda: client.data_connectors.list_redirect_uris(page=1, page_limit=10))

    def authorize_with_sdk():
        try:
            return client.data_connectors.authorize_connection(provider="google_drive", redirect_uri=REDIRECT_URI, custom_id="fidelity-user")
        except (ValueError, httpx.UnsupportedProtocol) as error:
            raise Skip(f"known SDK 1.3.6 bug (twelvelabs.md §4.8): urljoin turns `connections:authorize` into a URL scheme ({describe(error)})")

    r.call("data_connectors.authorize_connection", authorize_with_sdk)

    def authorize_workaround():
        # The same request through the SDK's own HTTP client with a path urljoin keeps, decoded with the SDK's model.
        response = client._client_wrapper.httpx_client.request(
            "./connections:authorize", method="POST",
            json={"provider": "google_drive", "redirect_uri": REDIRECT_URI, "custom_id": "fidelity-user"},
        )
        if not 200 <= response.status_code < 300:
            raise Fail(f"HTTP {response.status_code}: {one_line(response.text)}")
        return parse_obj_as(AuthorizeConnectionResponse, response.json())

    r.call("data_connectors.authorize_connection (raw request, SDK model)", authorize_workaround)
    connections = r.call("data_connectors.list_connections", lambda: client.data_connectors.list_connections(page=1, page_limit=10))
    data = getattr(connections, "data", None) if connections else None
    ids["connection"] = data[0].id if data else None
    r.call(
        "data_connectors.retrieve_connection",
        lambda: client.data_connectors.retrieve_connection(ids["connection"]),
        needs=need("connection"),
    )
    r.call(
        "data_connectors.create_connection_picker_token",
        lambda: client.data_connectors.create_connection_picker_token(ids["connection"]),
        needs=need("connection"),
    )
    keep(
        "import",
        r.call(
            "imports.import_files",
            lambda: client.imports.import_files(
                ids["connection"],
                items=[ImportFilesRequestItemsItem(source_id="1AbCDef_drive_file_id_x"), ImportFilesRequestItemsItem(source_id="missing-file-id")],
            ),
            needs=need("connection"),
        ),
    )
    r.call("imports.list_imports", lambda: client.imports.list_imports(ids["connection"], page=1, page_limit=10), needs=need("connection"))
    r.call(
        "imports.retrieve_import",
        lambda: client.imports.retrieve_import(ids["connection"], ids["import"]),
        needs=need("connection", "import"),
    )

    # ---- Error envelopes ----------------------------------------------------------------
    r.call(
        "error: assets.retrieve (unknown id) -> 404",
        lambda: expect_error(lambda: client.assets.retrieve("0123456789abcdef01234567"), 404, "resource_not_exist"),
    )
    r.call(
        "error: search.create (unknown search option) -> 400",
        lambda: expect_error(
            lambda: client.search.create(index_id=ids["index"], search_options=["smell"], query_text="x"), 400
        ),
        needs=need("index"),
    )
    r.call(
        "error: assets.delete (still indexed, no force) -> 409",
        lambda: expect_error(lambda: client.assets.delete(ids["video_asset"]), 409),
        needs=need("video_asset", "indexed_asset"),
    )
    r.call(
        "error: indexes.list (wrong API key) -> 401",
        lambda: expect_error(
            lambda: TwelveLabs(api_key="tlk_wrong", base_url=base_url, timeout=30.0).indexes.list(), 401, "api_key_invalid"
        ),
    )

    # ---- Deletes, in reverse dependency order -------------------------------------------
    r.call("data_connectors.delete_connection", lambda: client.data_connectors.delete_connection(ids["connection"]), needs=need("connection"))
    r.call("data_connectors.delete_redirect_uri", lambda: client.data_connectors.delete_redirect_uri(ids["redirect_uri"]), needs=need("redirect_uri"))
    r.call(
        "knowledge_store_item_collections.remove_items",
        lambda: client.knowledge_store_item_collections.remove_items(ids["store"], ids["item_collection"], item_ids=[ids["image_item"]]),
        needs=need("store", "item_collection", "image_item"),
    )
    r.call(
        "knowledge_store_item_collections.delete",
        lambda: client.knowledge_store_item_collections.delete(ids["store"], ids["item_collection"]),
        needs=need("store", "item_collection"),
    )
    r.call("knowledge_store_items.delete", lambda: client.knowledge_store_items.delete(ids["store"], ids["image_item"]), needs=need("store", "image_item"))
    r.call("knowledge_stores.delete", lambda: client.knowledge_stores.delete(ids["store"]), needs=need("store"))
    r.call("analyze_async.batches.delete", lambda: client.analyze_async.batches.delete(ids["batch"]), needs=need("batch"))
    r.call("analyze_async.tasks.delete", lambda: client.analyze_async.tasks.delete(ids["analyze_task"]), needs=need("analyze_task"))
    r.call(
        "entity_collections.entities.delete",
        lambda: client.entity_collections.entities.delete(ids["collection"], ids["entity"]),
        needs=need("collection", "entity"),
    )
    r.call("entity_collections.delete", lambda: client.entity_collections.delete(ids["collection"]), needs=need("collection"))
    r.call("indexes.videos.delete", lambda: client.indexes.videos.delete(ids["index"], ids["video"]), needs=need("index", "video"))
    r.call("tasks.delete", lambda: client.tasks.delete(ids["task"]), needs=need("task"))
    r.call(
        "indexes.indexed_assets.delete",
        lambda: client.indexes.indexed_assets.delete(ids["index"], ids["indexed_asset"]),
        needs=need("index", "indexed_asset"),
    )
    r.call("assets.delete", lambda: client.assets.delete(ids["image_asset_2"]), needs=need("image_asset_2"))
    r.call("assets.delete (force)", lambda: client.assets.delete(ids["video_asset"], force=True), needs=need("video_asset"))
    r.call("indexes.delete", lambda: client.indexes.delete(ids["index"]), needs=need("index"))

    return r.summary()


if __name__ == "__main__":
    sys.exit(main())
