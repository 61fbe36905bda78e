"""The notification unit of work on SQLAlchemy: one transaction over its repositories."""

from __future__ import annotations

from notification.adapters.repository import (
    SqlContactViews,
    SqlCustomerZones,
    SqlDeliveries,
    SqlSubscriptions,
    SqlTicketViews,
)
from notification.uow import ContactViews, CustomerZones, Deliveries, Subscriptions, TicketViews
from shared.db import UnitOfWork


class SqlNotificationUnitOfWork(UnitOfWork):
    """One transaction over the notification schema, its repositories, outbox and inbox."""

    tickets: TicketViews
    contacts: ContactViews
    customers: CustomerZones
    deliveries: Deliveries
    subscriptions: Subscriptions

    def _open(self) -> None:
        self.tickets = SqlTicketViews(self.session)
        self.contacts = SqlContactViews(self.session)
        self.customers = SqlCustomerZones(self.session)
        self.deliveries = SqlDeliveries(self.session)
        self.subscriptions = SqlSubscriptions(self.session, schema=self.schema)
