-- The addresses each user logged in from successfully, with the last such login: an address seen in the last 30 days
-- is exempt from the lockout of the user name (failed logins from everywhere), so guessing a password from elsewhere
-- cannot lock the real user out. Stored, so a restarted server and every server of a cluster know them too.
CREATE TABLE known_login_addresses (
    username      VARCHAR(64)  NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    address       VARCHAR(100) NOT NULL,
    last_login_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (username, address)
);
