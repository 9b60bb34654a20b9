"""Find space: carriers with free space near a point, for founders.

- :mod:`~carriermap.space.search`: the indexed search and its ranking (``NearbySearch``, needs, near misses);
- :mod:`~carriermap.space.vincenty`: geodesic distances by Vincenty's formula over whole arrays (the ranking's);
- :mod:`~carriermap.space.results`: the results as people read them (columns, route links, downloads);
- :mod:`~carriermap.space.routes`: route links to the online map services;
- :mod:`~carriermap.space.link`: a search kept in the URL, so it can be sent on;
- :mod:`~carriermap.space.address`: a typed address turned into the search point (online geocoder).

The page is ``pages/find_space.py``; the map layer of the results is
:mod:`carriermap.mapview.nearby_map`.
"""
