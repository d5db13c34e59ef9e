"""The postcode directory: each postcode's constituency on a boundary set."""

from django.db import models

from constituencies.models.elections import BoundarySet, Constituency


class Postcode(models.Model):
    """One postcode's constituency on one boundary set (a postcode split between seats has a row for each)."""

    boundary_set = models.ForeignKey(BoundarySet, on_delete=models.CASCADE, related_name="postcodes")
    postcode = models.CharField(max_length=8, help_text='Normalised, e.g. "SW1A 0AA"')
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="postcodes")
    terminated_on = models.DateField(
        null=True, blank=True, help_text="When the postcode was retired, if it was"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["postcode"]
        constraints = [
            models.UniqueConstraint(
                fields=["boundary_set", "postcode", "constituency"], name="postcode_unique_per_constituency"
            ),
        ]

    def __str__(self):
        return self.postcode


class PostcodeDirectory(models.Model):
    """The postcode directory imported for one boundary set: which import is in place, from what file.

    `generation` names the table the import built (a new one every import): server processes build a
    look-up snapshot of each generation they see in place (constituencies/postcodes/snapshots.py).
    """

    boundary_set = models.OneToOneField(
        BoundarySet, on_delete=models.CASCADE, primary_key=True, related_name="postcode_directory"
    )
    generation = models.CharField(max_length=63, unique=True)
    source_file = models.CharField(max_length=255)
    postcodes = models.PositiveIntegerField()
    imported_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "postcode directories"

    def __str__(self):
        return f"Postcode directory for the {self.boundary_set.name}"
