"""Tables of the escalation schema."""

from escalation.config import SCHEMA
from shared.db import service_metadata

metadata = service_metadata(SCHEMA)
