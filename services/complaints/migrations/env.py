from servicekit.migrate import run_env
from services.complaints.models import Base

run_env(Base.metadata)
