from supporters.models.organisers import OrganiserSeat, SupporterExport
from supporters.models.supporters import LocalGroup, Supporter, SupporterDeletion

__all__ = ["LocalGroup", "OrganiserSeat", "Supporter", "SupporterDeletion", "SupporterExport"]
