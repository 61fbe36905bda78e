"""The notification unit of work on SQLAlchemy: one transaction over its repositories."""

from __future__ import annotations

from notification.adapters.mailstate import SqlFailingAddresses, SqlSenderAnswers
from notification.adapters.repository import (
    SqlContactViews,
    SqlCustomerZones,
    SqlDeliveries,
    SqlSubscriptions,
    SqlTicketViews,
)
from notification.uow import (
    ContactViews,
    CustomerZones,
    Deliveries,
    FailingAddresses,
    SenderAnswers,
    Subscriptions,
    TicketViews,
)
from shared.db import UnitOfWork


class SqlNotificationUnitOfWork(UnitOfWork):
    """One transaction over the notification schema, its repositories, outbox and inbox."""

    tickets: TicketViews
    contacts: ContactViews
    customers: CustomerZones
    deliveries: Deliveries
    subscriptions: Subscriptions
    failing: FailingAddresses
    answers: SenderAnswers

    def _open(self) -> None:
        self.tickets = SqlTicketViews(self.session)
        self.contacts = SqlContactViews(self.session)
        self.customers = SqlCustomerZones(self.session)
        self.deliveries = SqlDeliveries(self.session)
        self.subscriptions = SqlSubscriptions(self.session, schema=self.schema)
        self.failing = SqlFailingAddresses(self.session)
        self.answers = SqlSenderAnswers(self.session)
