from servicekit.migrate import run_env
from services.gis.models import Base

run_env(Base.metadata)
