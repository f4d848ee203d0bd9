from servicekit.migrate import run_env
from services.letters.models import Base

run_env(Base.metadata)
