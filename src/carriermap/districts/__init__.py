"""The officials' district figures: counting (:mod:`.metrics`, :mod:`.metrics_sql`), targets
(:mod:`.targets`), the table and its exports (:mod:`.table`) and the trend by quarter (:mod:`.trend`).

Every figure is computed from carriers selected by the same :class:`carriermap.filters.MapFilters`
the map uses, so a published figure (e.g. Guangzhou's 207 incubators) is reproduced by a filter,
not by hand.
"""
