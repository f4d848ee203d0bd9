-- One database per service (no service reads another's).
CREATE DATABASE gawe_accounts;
CREATE DATABASE gawe_proposals;
CREATE DATABASE gawe_complaints;
CREATE DATABASE gawe_gis;
CREATE DATABASE gawe_notifications;
