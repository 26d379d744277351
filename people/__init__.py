"""People and sign-in: accounts' identity, passwords, single sign-on, login
lockout, API tokens' owners, contacts named in documents, the people admin."""
