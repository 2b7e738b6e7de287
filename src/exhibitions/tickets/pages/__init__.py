"""Ticket pages: registration and the ticket for visitors, the scanner for gate staff,
and the gates and visitor list for organizers."""

from exhibitions.tickets.pages._gates import GatePagesController, ScannerPageController
from exhibitions.tickets.pages._registration import TicketPagesController
from exhibitions.tickets.pages._visitors import VisitorPagesController

__all__ = ["GatePagesController", "ScannerPageController", "TicketPagesController", "VisitorPagesController"]
