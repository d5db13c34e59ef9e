from supporters.models.supporters import LocalGroup, Supporter, SupporterDeletion

__all__ = ["LocalGroup", "Supporter", "SupporterDeletion"]
