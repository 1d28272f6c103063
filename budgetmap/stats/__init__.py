"""Statistics on the numbers a map shows: outliers, small numbers, clusters, hot spots, money and results, peers.

Every analysis starts from ``values.measure_values`` or ``values.indicator_values``
(the very frames the spending and target maps are built from), so a statistic
can never describe different numbers than the map beside it. The spatial parts
use the libraries the field trusts (libpysal weights, esda statistics,
statsmodels OLS), never hand-written versions.

Modules (import the one you need: libpysal, esda and statsmodels take seconds
to import, so this package imports none of them itself):

* ``values``    district values of a spending view or an indicator, with population
* ``outliers``  ``OUTLIER_RULES`` (Tukey fences, median/MAD) and ``outliers()``
* ``rates``     small-number flags (``min_population``) and empirical Bayes smoothing
* ``weights``   ``WEIGHTS`` (queen, rook, knn), row-standardised, islands named
* ``spatial``   global Moran's I, local Moran (LISA) quadrants, Getis-Ord Gi*
* ``analysis``  ``analyse()``: all of the above for one map, as one ``Analysis``
* ``words``     the plain-language summary
* ``report``    the JSON of ``python -m budgetmap stats``
* ``money``     gap to goal against per-resident spending: correlation, OLS with a CI
* ``peers``     the k most similar districts on chosen indicators
"""
