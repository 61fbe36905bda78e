"""Tables of the notification schema."""

from notification.config import SCHEMA
from shared.db import service_metadata

metadata = service_metadata(SCHEMA)
