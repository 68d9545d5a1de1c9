"""Cross-year links: the same indicator or project of a department, year after year.

    from extractor.link import link_outdir, read_panel
    link_outdir("output")            # writes series, series_members, panel
    panel = read_panel("output")     # pandas DataFrame, one row per series and year
"""
from .config import ConfigError, LinkConfig, load_config
from .series import LinkResult, link_outdir
from .suggest import SUGGESTED_FILE
from .store import LINK_SCHEMAS, LinkError, read_panel

__all__ = ["ConfigError", "LINK_SCHEMAS", "LinkConfig", "LinkError", "LinkResult", "SUGGESTED_FILE", "link_outdir", "load_config",
           "read_panel"]
