"""CloudForge dashboards: ``streamlit run dashboards/app.py``.

The entry point reads the settings, names the pages and catches the one condition every page shares, a warehouse that cannot
answer yet, so a fresh install shows what to do instead of a traceback.
"""

import streamlit as st

from cloudforge.settings import load_settings
from dashboards.connection import WarehouseNotReady

st.set_page_config(page_title="CloudForge", page_icon=":material/cloud:", layout="wide")
if "settings" not in st.session_state:  # read once per session; the pages take them from dashboards.connection
    st.session_state.settings = load_settings()

inventory = st.Page("views/inventory.py", title="Inventory", icon=":material/inventory_2:", default=True)
compliance = st.Page("views/compliance.py", title="Compliance", icon=":material/policy:")
drift = st.Page("views/drift.py", title="Drift", icon=":material/difference:")
costs = st.Page("views/costs.py", title="Costs", icon=":material/payments:")
budgets = st.Page("views/budgets.py", title="Budgets", icon=":material/savings:")
anomalies = st.Page("views/anomalies.py", title="Anomalies", icon=":material/troubleshoot:")
showback = st.Page("views/showback.py", title="Showback", icon=":material/receipt_long:")
health = st.Page("views/health.py", title="Health", icon=":material/monitor_heart:")
recommendations = st.Page("views/recommendations.py", title="Recommendations", icon=":material/lightbulb:")
provisioning = st.Page("views/provisioning.py", title="Provisioning", icon=":material/add_box:")
page = st.navigation(
    {"Estate": [inventory, drift], "Governance": [compliance], "FinOps": [costs, budgets, anomalies, showback],
     "Monitor": [health, recommendations], "Provisioning": [provisioning]}
)
try:
    page.run()
except WarehouseNotReady as not_ready:
    st.info(str(not_ready), icon=":material/database:")
