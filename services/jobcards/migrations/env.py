from servicekit.migrate import run_env
from services.jobcards.models import Base

run_env(Base.metadata)
