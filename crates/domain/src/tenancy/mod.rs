//! Tenancy: the organizations (businesses) whose data Fakturo keeps apart,
//! their country, time zone, defaults and the seller's details their
//! documents print.

pub mod organization;
pub mod ports;
pub mod services;
pub mod settings;

pub use organization::{
    Closure, Country, CountryError, Organization, OrganizationProfile, TimeZone, TimeZoneError, default_currency_for,
    default_time_zone_for,
};
pub use settings::OrganizationFields;
