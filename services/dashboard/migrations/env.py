from servicekit.migrate import run_env
from services.dashboard.models import Base

run_env(Base.metadata)
