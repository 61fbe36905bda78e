"""Tables of the notification schema."""

from shared.db import service_metadata

from notification.config import SCHEMA

metadata = service_metadata(SCHEMA)
