"""Division codes are public data: every role may browse the region tree."""

from __future__ import annotations

from kexie.accounts.enums import Role
from kexie.accounts.permissions import define

define({"region.view": set(Role)})
