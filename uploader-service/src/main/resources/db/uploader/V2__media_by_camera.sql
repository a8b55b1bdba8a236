-- Fair pulling and per-camera quotas look items up by camera.
CREATE INDEX media_camera ON media(camera, state);
