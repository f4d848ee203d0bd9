-- One database per service (no service reads another's).
-- Generated from the apps' manifests by `make deploy-files` (servicekit/deployfiles.py).
CREATE DATABASE gawe_accounts;
CREATE DATABASE gawe_complaints;
CREATE DATABASE gawe_dashboard;
CREATE DATABASE gawe_gis;
CREATE DATABASE gawe_jobcards;
CREATE DATABASE gawe_letters;
CREATE DATABASE gawe_notifications;
CREATE DATABASE gawe_proposals;
CREATE DATABASE gawe_transparency;
