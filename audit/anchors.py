"""Anchors: the chain's head, exported periodically to a sink outside the database.

Someone who can rewrite the audit table but not this sink cannot hide it: a truncated tail
leaves an anchor pointing past the end of the chain, a rewritten entry no longer has the hash an
anchor recorded for it. The beat job ``portal.audit.export_anchor`` appends one JSON line per
run to ``AUDIT_ANCHOR_PATH`` (a file; in production on a volume or host the database server
cannot write, or synced to object storage); ``verify_audit_log`` checks the chain against every
anchor still inside the retained part of it.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import ActivityLog


@dataclass(frozen=True)
class Anchor:
    sequence: int
    entry_hash: str
    exported_at: str = ""


def anchor_path():
    return Path(settings.AUDIT_ANCHOR_PATH)


def export_anchor(path=None):
    """Append the current head of the chain to the sink; returns the anchor, or ``None`` while
    the log is empty."""
    head = ActivityLog.objects.order_by("-sequence").values("sequence", "entry_hash").first()
    if head is None:
        return None
    anchor = Anchor(sequence=head["sequence"], entry_hash=head["entry_hash"],
                    exported_at=timezone.now().isoformat())
    path = Path(path or anchor_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"sequence": anchor.sequence, "entry_hash": anchor.entry_hash,
                       "exported_at": anchor.exported_at}, sort_keys=True)
    # Append-only, flushed to disk before the job reports success.
    with open(path, "a", encoding="utf-8") as sink:
        sink.write(line + "\n")
        sink.flush()
        os.fsync(sink.fileno())
    return anchor


def read_anchors(path=None):
    """Every anchor in the sink, oldest first; lines that do not parse are reported as problems
    by ``check_anchors`` (a damaged sink is itself worth a look)."""
    path = Path(path or anchor_path())
    anchors, damaged = [], 0
    if not path.exists():
        return anchors, damaged
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            anchors.append(Anchor(int(item["sequence"]), str(item["entry_hash"]),
                                  str(item.get("exported_at", ""))))
        except (ValueError, KeyError, TypeError):
            damaged += 1
    return anchors, damaged


def check_anchors(anchors, verification):
    """The first problem between the verified chain and the anchors, or ``""``.

    An anchor past the chain's last sequence means entries at the end were removed; an anchor
    inside the chain whose hash differs means the chain was rewritten (the HMAC key was used,
    or the rows were replaced wholesale). Anchors older than a purge are skipped."""
    if not anchors:
        return ""
    last = verification.last_sequence or 0
    first = verification.first_sequence or 0
    beyond = [anchor for anchor in anchors if anchor.sequence > last]
    if beyond:
        anchor = max(beyond, key=lambda item: item.sequence)
        return (f"an anchor exported at {anchor.exported_at} recorded sequence {anchor.sequence}, "
                f"but the chain ends at {last}: entries at the end were removed")
    inside = {anchor.sequence: anchor for anchor in anchors if anchor.sequence >= first}
    if not inside:
        return ""
    stored = dict(ActivityLog.objects.filter(sequence__in=list(inside))
                  .values_list("sequence", "entry_hash"))
    for sequence in sorted(inside):
        anchor = inside[sequence]
        if stored.get(sequence) != anchor.entry_hash:
            return (f"entry sequence={sequence} does not have the hash anchored at "
                    f"{anchor.exported_at}: the chain was rewritten")
    return ""
