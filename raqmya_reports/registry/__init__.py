"""The programme's registry: territories, beneficiaries and the facts recorded about them."""
