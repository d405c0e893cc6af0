"""POST /v1/enroll and POST /v1/token: a laptop becomes a device, then proves it is one."""

from __future__ import annotations

from fastapi import APIRouter

from central.api.deps import KeysDep, NowDep, SessionsDep, SettingsDep
from central.api.errors import ERROR_RESPONSES
from central.errors import CentralError
from central.services import devices, wipes
from sync.protocol import (
    EnrollmentRequest,
    EnrollmentResponse,
    TokenRequest,
    TokenResponse,
    WipeReceipt,
    WipeReceiptAnswer,
)

router = APIRouter(prefix="/v1", tags=["devices"], responses=ERROR_RESPONSES)


@router.post("/enroll", response_model=EnrollmentResponse)
def enroll(request: EnrollmentRequest, sessions: SessionsDep, settings: SettingsDep,
           keys: KeysDep, now: NowDep) -> EnrollmentResponse:
    """Swap a one-time enrollment code and the laptop's Ed25519 public key for a device id."""
    with sessions.begin() as session:
        return devices.enroll(session, request, settings, keys, now)


@router.post("/token", response_model=TokenResponse)
def token(request: TokenRequest, sessions: SessionsDep, settings: SettingsDep, keys: KeysDep,
          now: NowDep) -> TokenResponse:
    """Swap a client assertion signed by the device key (EdDSA, <= 60 s, single use) for a
    short access token bound to the device. A revoked or lost laptop is refused only after
    its contact (time, unsent records, audit entry) is committed."""
    with sessions.begin() as session:
        answer = devices.issue_token(session, request, settings, keys, now)
    if isinstance(answer, CentralError):
        raise answer
    return answer


@router.post("/wipe-receipt", response_model=WipeReceiptAnswer)
def wipe_receipt(receipt: WipeReceipt, sessions: SessionsDep, now: NowDep) -> WipeReceiptAnswer:
    """A lost laptop's account of its erase (protocol 5), signed with its device key: no
    token, since the key is the proof. Kept once; the same receipt again is answered alike."""
    with sessions.begin() as session:
        return wipes.record_receipt(session, receipt, now)
