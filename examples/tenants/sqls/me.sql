SELECT CAST({{auth.username}} AS VARCHAR) AS username,
       CAST({{auth.roles}} AS VARCHAR) AS roles,
       (SELECT tenant_id FROM tenant_users WHERE username = {{auth.username}}) AS tenant_id
