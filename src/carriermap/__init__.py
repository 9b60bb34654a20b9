"""carriermap — 创新载体地图: innovation carriers of Chinese cities on a map.

The package is a library of small pure modules; the Streamlit pages and the CLI
(`python -m carriermap`) are thin layers over it.
"""

__version__ = "0.1.0"
