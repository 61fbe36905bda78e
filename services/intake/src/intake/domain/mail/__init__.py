"""Inbound mail as the desk reads it: parsing, screening for robots, bounce reports.

Pure (no I/O): intake's mail processing calls ``parse`` on the stored bytes, then
``screen`` to decide whether the message may open or continue a ticket, and
``bounce_info`` for what a delivery report says failed.
"""

from intake.domain.mail.bounces import bounce_info
from intake.domain.mail.model import Bounce, MailAttachment, ParsedMail, Screening
from intake.domain.mail.parsing import parse
from intake.domain.mail.screening import screen

__all__ = ["Bounce", "MailAttachment", "ParsedMail", "Screening", "bounce_info", "parse", "screen"]
