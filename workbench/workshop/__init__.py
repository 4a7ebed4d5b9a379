"""Workshops and public consultations: participants weight the criteria on their own devices,
the facilitator sees the aggregate, the dispersion and the consensus, round after round.

    store = WorkshopStore(url)                     # default: $WORKBENCH_DATABASE_URL or data/workshops.sqlite
    ws = store.create_workshop(criteria=PATH, title="Atelier", anonymous=False)
    me = store.join(ws.join_code, name="Alice", client_key=client_address(peer, forwarded_for, proxies))
    store.submit_ballot(me.token, {"legal": 60, "cost": 40})
    store.results(ws.facilitator_token)            # round, participants, ballots, aggregate, dispersion, winners, consensus
    store.close_round(ws.facilitator_token); store.open_round(ws.facilitator_token)
    store.freeze_round(ws.facilitator_token)       # a closed round's aggregate, frozen (workbench.record)
"""

from .access import (
    JoinLimits,
    Participant,
    PermissionDenied,
    clean_name,
    client_address,
    format_code,
    long_code,
    normalise_code,
)
from .aggregate import leaf_to_node_weights, normalise_ballot, reference_aggregate
from .connection import DATABASE_ENV, StoreUnavailable, default_url
from .frozen import FrozenRound, RoundNotFreezable
from .participation import Receipt, RoundClosed
from .store import Workshop, WorkshopStore

__all__ = [
    "DATABASE_ENV",
    "FrozenRound",
    "JoinLimits",
    "Participant",
    "PermissionDenied",
    "Receipt",
    "RoundClosed",
    "RoundNotFreezable",
    "StoreUnavailable",
    "Workshop",
    "WorkshopStore",
    "clean_name",
    "client_address",
    "default_url",
    "format_code",
    "leaf_to_node_weights",
    "long_code",
    "normalise_ballot",
    "normalise_code",
    "reference_aggregate",
]
