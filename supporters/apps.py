from django.apps import AppConfig


class SupportersConfig(AppConfig):
    name = "supporters"
    verbose_name = "Supporters"

    def ready(self):
        # The seat list, map, downloads and API read the counts through constituencies/seats/supporter_counts.py.
        from constituencies.seats.supporter_counts import SupporterCounts, register
        from supporters.rules.counts import FEWER, SHOWN_FROM, shown_count
        from supporters.services.counts import confirmed_counts

        register(SupporterCounts(confirmed_counts, shown_count, SHOWN_FROM, FEWER))
