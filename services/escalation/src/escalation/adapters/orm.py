"""Tables of the escalation schema."""

from shared.db import service_metadata

from escalation.config import SCHEMA

metadata = service_metadata(SCHEMA)
