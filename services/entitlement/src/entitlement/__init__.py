"""Entitlement: customers, contracts, contacts, tiers and policies."""
