"""Analysdashboard för Stockholms stads arbetsmarknadsnämnd."""
