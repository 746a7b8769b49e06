"""Opinion Lens 舆情透镜 — the Streamlit entry point: `streamlit run dashboard.py`.

The frame every page shares (sidebar and navigation) lives in pages/frame.py; this file only
starts it.
"""

from __future__ import annotations

from pages.ui.frame import run

# Streamlit runs the entry point as __main__; nothing imports this module.
if __name__ == "__main__":
    run()
