from servicekit.migrate import run_env
from services.transparency.models import Base

run_env(Base.metadata)
