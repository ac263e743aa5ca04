"""CloudForge dashboards: ``streamlit run dashboards/app.py``.

The entry point names the pages and catches the one condition every page shares, a warehouse that cannot
answer yet, so a fresh install shows what to do instead of a traceback.
"""

import streamlit as st

from dashboards.data import WarehouseNotReady

st.set_page_config(page_title="CloudForge", page_icon=":material/cloud:", layout="wide")

inventory = st.Page("views/inventory.py", title="Inventory", icon=":material/inventory_2:", default=True)
compliance = st.Page("views/compliance.py", title="Compliance", icon=":material/policy:")
page = st.navigation({"Estate": [inventory], "Governance": [compliance]})
try:
    page.run()
except WarehouseNotReady as not_ready:
    st.info(str(not_ready), icon=":material/database:")
