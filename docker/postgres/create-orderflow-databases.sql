-- Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d).
-- One database per service, named <ORDERFLOW_DATABASE_PREFIX>_<service> with the default prefix; each
-- service's migrations create its tables at start. Creating them here, one after another, spares the
-- four services racing to CREATE DATABASE (each copies template1) when they first start together.
CREATE DATABASE orderflow_order;
CREATE DATABASE orderflow_payment;
CREATE DATABASE orderflow_inventory;
CREATE DATABASE orderflow_shipping;
