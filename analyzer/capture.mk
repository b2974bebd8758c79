# analyzer fragment
