"""The app's models, one module per area; import them from here."""

from constituencies.models.elections import (
    RESULT_WORD,
    WELL_KNOWN_BOUNDARY_SETS,
    BoundarySet,
    Constituency,
    Election,
    ElectionQuerySet,
    Party,
)
from constituencies.models.postcodes import Postcode, PostcodeDirectory
from constituencies.models.projections import PollProjection, ProjectedShare
from constituencies.models.records import AuditEvent, PendingUpload, ResultsImport
from constituencies.models.results import (
    MIN_OVERRIDE_REASON_LENGTH,
    Candidacy,
    RecommendationOverride,
    Result,
    SeatAssessment,
)

__all__ = [
    "MIN_OVERRIDE_REASON_LENGTH",
    "RESULT_WORD",
    "WELL_KNOWN_BOUNDARY_SETS",
    "AuditEvent",
    "BoundarySet",
    "Candidacy",
    "Constituency",
    "Election",
    "ElectionQuerySet",
    "Party",
    "PendingUpload",
    "PollProjection",
    "Postcode",
    "PostcodeDirectory",
    "ProjectedShare",
    "RecommendationOverride",
    "Result",
    "ResultsImport",
    "SeatAssessment",
]
