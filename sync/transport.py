"""HTTP to central with httpx: TLS settings, timeouts, and central's answers as typed values.

Every failure leaves here as a `sync.errors.SyncProblem`: unreachable or a server error
(worth retrying), or a refusal with central's own code and sentence (not worth retrying).
TLS verifies against the operating system's trust store, or, when policy names a CA file,
against that CA only (pinning the organisation's CA). Plain http is accepted only for a
central on this same machine (loopback), as in development and tests.
"""

from __future__ import annotations

import ipaddress
import logging
import ssl
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
import truststore
from pydantic import BaseModel, ValidationError

from sync.errors import (
    CentralNotTrusted,
    CentralRefused,
    CentralTooOld,
    CentralTrouble,
    CentralUnreachable,
    DeviceRevoked,
    ServerAddressRefused,
    WipeClaimed,
)
from sync.protocol import (
    OLDEST_CENTRAL_PROTOCOL,
    BlobStored,
    EnrollmentRequest,
    EnrollmentResponse,
    ErrorBody,
    HealthResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    TokenRequest,
    TokenResponse,
    WipeReceipt,
    WipeReceiptAnswer,
)

log = logging.getLogger("homevisit.sync.transport")

M = TypeVar("M", bound=BaseModel)

DEFAULT_TIMEOUT_SECONDS = 30.0
_RETRY_LATER_CODES = {"busy_retry"}
_NOT_TRUSTED = "its certificate is not trusted"


def require_current_central(client: CentralClient) -> int:
    """Central must speak at least `OLDEST_CENTRAL_PROTOCOL` (GET /v1/health says), or
    nothing is asked of it: an older one would refuse what this laptop sends and could not
    sign its answers (`CentralTooOld`). Returns the version it speaks."""
    version = client.health().protocol_version
    if version < OLDEST_CENTRAL_PROTOCOL:
        raise CentralTooOld(client.server_url, version, OLDEST_CENTRAL_PROTOCOL)
    return version


def checked_server_url(server_url: str) -> str:
    """The address without a trailing slash; refused unless https, or http on loopback."""
    url = server_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ServerAddressRefused(server_url, "it must look like https://central.example.org")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ServerAddressRefused(server_url, "records are only ever sent over https")
    return url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """The system trust store, or only the CA in `ca_file` when policy pins one."""
    if ca_file is None:
        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(ca_file))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class CentralClient:
    """One connection pool to central; use from one thread, close when done."""

    def __init__(self, server_url: str, *, ca_file: Path | None = None,
                 timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.server_url = checked_server_url(server_url)
        try:
            verify: ssl.SSLContext | bool = tls_context(ca_file)
        except (OSError, ssl.SSLError) as error:
            raise ServerAddressRefused(
                self.server_url, f"the CA file {ca_file} set by policy cannot be read ({error})"
            ) from None
        self._http = httpx.Client(
            base_url=self.server_url, verify=verify, transport=transport,
            timeout=httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 10.0)),
            headers={"User-Agent": "homevisit"}, follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CentralClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- endpoints --------------------------------------------------------------------

    def health(self) -> HealthResponse:
        return self._call("GET", "/v1/health", HealthResponse)

    def enroll(self, request: EnrollmentRequest) -> EnrollmentResponse:
        return self._call("POST", "/v1/enroll", EnrollmentResponse,
                          content=request.model_dump_json())

    def token(self, request: TokenRequest) -> TokenResponse:
        # Unset optional fields are left out: a central older than them would refuse them.
        return self._call("POST", "/v1/token", TokenResponse,
                          content=request.model_dump_json(exclude_none=True))

    def push(self, token: str, request: PushRequest) -> PushResponse:
        # "op" is what every central does unasked; a central older than protocol 8 refuses
        # the field itself.
        return self._call("POST", "/v1/sync/push", PushResponse, token=token,
                          content=request.model_dump_json(
                              exclude={"receipt"} if request.receipt == "op" else None))

    def pull(self, token: str, cursor: int, limit: int) -> PullResponse:
        return self._call("GET", "/v1/sync/pull", PullResponse, token=token,
                          params={"cursor": cursor, "limit": limit, "times": "true",
                                  "removals": "true", "notes": "true", "answered_notes": "true",
                                  "laptops": "true", "wipes": "true", "history": "true"})

    def wipe_receipt(self, receipt: WipeReceipt) -> WipeReceiptAnswer:
        """A lost laptop's signed account of its erase (protocol 5): no token."""
        return self._call("POST", "/v1/wipe-receipt", WipeReceiptAnswer,
                          content=receipt.model_dump_json())

    def put_blob(self, token: str, sha256: str, content: bytes) -> BlobStored:
        return self._call("PUT", f"/v1/blobs/{sha256}", BlobStored, token=token,
                          content=content, content_type="application/octet-stream")

    # --- one request ------------------------------------------------------------------

    def _call(self, method: str, path: str, model: type[M], *, token: str | None = None,
              content: str | bytes | None = None, params: dict[str, Any] | None = None,
              content_type: str = "application/json") -> M:
        headers = {"Accept": "application/json"}
        if content is not None:
            headers["Content-Type"] = content_type
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        try:
            response = self._http.request(method, path, content=content, params=params,
                                          headers=headers)
        except httpx.TimeoutException:
            raise CentralUnreachable(self.server_url, "no answer in time") from None
        except httpx.TransportError as error:
            detail = _transport_detail(error)
            if detail == _NOT_TRUSTED:
                raise CentralNotTrusted(self.server_url) from None
            raise CentralUnreachable(self.server_url, detail) from None
        if response.status_code >= 400:
            raise _problem(response)
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise CentralTrouble(f"an unreadable answer to {method} {path}") from None


def _transport_detail(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.ConnectError):
        text = str(error).lower()
        if "certificate" in text or "ssl" in text or "tls" in text:
            return _NOT_TRUSTED
        return "the connection was refused or there is no network"
    return "the connection broke"


def _problem(response: httpx.Response) -> Exception:
    status = response.status_code
    try:
        body: ErrorBody | None = ErrorBody.model_validate_json(response.content)
    except ValidationError:
        body = None
    code = body.error if body else f"http_{status}"
    if status >= 500 or status == 429 or code in _RETRY_LATER_CODES:
        return CentralTrouble(f"{status} {code}")
    message = body.message if body else ""
    if code == "device_revoked":
        if body is not None and body.wipe:  # proven or not by `sync.lease.request_token`
            return WipeClaimed(message, body.wipe_order, body.wipe_token)
        return DeviceRevoked(message)
    return CentralRefused(status, code, message)
