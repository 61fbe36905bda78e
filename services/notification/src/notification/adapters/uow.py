"""The notification unit of work on SQLAlchemy: one transaction over its repositories."""

from __future__ import annotations

from notification.adapters.mailstate import SqlFailingAddresses, SqlSenderAnswers
from notification.adapters.repository import (
    SqlContactViews,
    SqlCustomerZones,
    SqlDeliveries,
    SqlTicketViews,
)
from notification.adapters.webhook_table import SqlSubscriptions
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
from shared.driver import SessionDriver


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
        # The hot statements go to asyncpg's connection, in the session's transaction.
        driver = SessionDriver(self.session)
        self.tickets = SqlTicketViews(self.session, driver)
        self.contacts = SqlContactViews(self.session, driver)
        self.customers = SqlCustomerZones(self.session, driver)
        self.deliveries = SqlDeliveries(self.session, driver)
        self.subscriptions = SqlSubscriptions(self.session, schema=self.schema)
        self.failing = SqlFailingAddresses(self.session, driver)
        self.answers = SqlSenderAnswers(self.session)
