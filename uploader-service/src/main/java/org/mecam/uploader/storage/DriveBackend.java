package org.mecam.uploader.storage;

import com.google.api.client.auth.oauth2.BearerToken;
import com.google.api.client.auth.oauth2.ClientParametersAuthentication;
import com.google.api.client.auth.oauth2.Credential;
import com.google.api.client.auth.oauth2.CredentialRefreshListener;
import com.google.api.client.auth.oauth2.TokenErrorResponse;
import com.google.api.client.auth.oauth2.TokenResponse;
import com.google.api.client.auth.oauth2.TokenResponseException;
import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.AbstractInputStreamContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.json.JsonHttpContent;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.JsonFactory;
import com.google.api.client.json.JsonObjectParser;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.model.File;
import com.google.api.services.drive.model.FileList;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mecam.events.Alert;
import org.mecam.secrets.SecretFileException;
import org.mecam.secrets.SecretFiles;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.uploader.config.UploaderConfig;
import org.mecam.uploader.crypto.SealedFile;
import org.mecam.uploader.domain.MediaItem;
import org.mecam.uploader.service.AlertRaiser;
import org.mecam.uploader.service.RetryableException;

/**
 * Stores encrypted media on Google Drive through the official client: {@code YYYY/MM/DD} folders
 * (found by an app property, created once, cached), opaque file names, the media id as the app
 * property {@code mecamMediaId} so an upload is never repeated, multipart uploads for small files and
 * resumable uploads whose session URI is kept in the database so a crash resumes instead of restarting,
 * MD5 verification, retention deletes, a quota pause with a {@code storage-quota} alert, and a
 * {@code drive-relink} pause when Google refuses the refresh token.
 */
@ApplicationScoped
public class DriveBackend implements StorageBackend {
  /** App property that carries the media id on each uploaded file. */
  public static final String MEDIA_ID = "mecamMediaId";
  /** App property that carries a folder's path ("" for the top folder, else YYYY, YYYY/MM, YYYY/MM/DD). */
  public static final String FOLDER = "mecamFolder";
  private static final String FOLDER_MIME = "application/vnd.google-apps.folder";
  private static final String CONTENT_TYPE = "application/octet-stream";
  private static final Pattern RANGE = Pattern.compile("bytes=0-(\\d+)");

  private final UploaderConfig.Drive config;
  private final OpaqueNames names;
  private final AlertRaiser alerts;
  private final Clock clock;
  private final Path tokenFile;
  private final NetHttpTransport transport = new NetHttpTransport();
  private final JsonFactory json = GsonFactory.getDefaultInstance();
  private final Map<String, String> folders = new ConcurrentHashMap<>();
  private final Object folderLock = new Object();
  private final DriveAuthorization authorization;
  private volatile Drive drive;
  private volatile String relinkReason;
  private volatile Instant quotaPausedUntil = Instant.EPOCH;

  public DriveBackend(UploaderConfig config, ServiceConfig service, OpaqueNames names, AlertRaiser alerts,
      Clock clock) {
    this.config = config.drive();
    this.names = names;
    this.alerts = alerts;
    this.clock = clock;
    this.tokenFile = this.config.tokenFile().orElse(service.dataDir().resolve("secrets").resolve("drive-token"));
    if (this.config.chunkKib() <= 0 || this.config.chunkKib() % 256 != 0) {
      throw new IllegalArgumentException("mecam.uploader.drive.chunk-kib must be a positive multiple of 256");
    }
    this.authorization = new DriveAuthorization(this.config, transport, json, this::linked);
    if (this.config.clientId().isPresent() && Files.exists(tokenFile)) {
      try {
        drive = build(SecretFiles.read(tokenFile, "Google Drive token"));
        Log.info("Google Drive linked (refresh token found)");
      } catch (IOException | SecretFileException e) {
        Log.errorf("cannot read the Google Drive token: %s", e.getMessage());
      }
    }
  }

  @Override
  public String name() {
    return "drive";
  }

  // ---------------------------------------------------------------- linking

  private Drive build(String refreshToken) throws IOException {
    Credential credential = new Credential.Builder(BearerToken.authorizationHeaderAccessMethod())
        .setTransport(transport)
        .setJsonFactory(json)
        .setTokenServerEncodedUrl(config.tokenUri().toString())
        .setClientAuthentication(new ClientParametersAuthentication(config.clientId().orElseThrow(),
            authorization.clientSecret()))
        .addRefreshListener(new CredentialRefreshListener() {
          @Override
          public void onTokenResponse(Credential c, TokenResponse r) {
            Log.debug("Google Drive access token refreshed");
          }

          @Override
          public void onTokenErrorResponse(Credential c, TokenErrorResponse r) {
            if (r != null && "invalid_grant".equals(r.getError())) {
              needsRelink("Google refused the stored authorization (" + r.getError() + ")");
            }
          }
        })
        .build()
        .setRefreshToken(refreshToken);
    return new Drive.Builder(transport, json, request -> {
      credential.initialize(request);
      request.setConnectTimeout(30_000);
      request.setReadTimeout(120_000);
      TransientRetry.attach(request, config.retryBaseMillis());
    }).setRootUrl(config.rootUrl()).setApplicationName("mecam-uploader").build();
  }

  /** Called when an authorization completed: keeps the refresh token (0600) and resumes uploads. */
  private void linked(String refreshToken) throws IOException {
    SecretFiles.write(tokenFile, refreshToken);
    drive = build(refreshToken);
    folders.clear();
    relinkReason = null;
    alerts.clear(Alert.Kind.DRIVE_RELINK, "Google Drive is linked again; uploads resume.");
    Log.info("Google Drive linked; uploads to Drive resume");
  }

  private void needsRelink(String why) {
    if (relinkReason == null) {
      relinkReason = why;
      Log.warnf("Google Drive uploads paused: %s", why);
    }
    alerts.raise(Alert.Kind.DRIVE_RELINK, "Re-link Google Drive: " + why
        + ". Uploads are paused and the queue is kept.");
  }

  public Map<String, Object> oauthStatus() {
    return Map.of("configured", config.clientId().isPresent(),
        "linked", drive != null && relinkReason == null,
        "relinkNeeded", relinkReason != null,
        "pendingAuthorization", authorization.pending(),
        "message", pausedReason().orElse("Google Drive is linked"));
  }

  public Map<String, Object> oauthAuthorize(Map<String, Object> args) {
    if (config.clientId().isEmpty()) {
      throw new IllegalArgumentException("Google Drive is not configured: set mecam.uploader.drive.client-id "
          + "and mecam.uploader.drive.client-secret-file (see docs/uploader.md)");
    }
    return authorization.authorize(args);
  }

  public Map<String, Object> oauthDisconnect() {
    try {
      Files.deleteIfExists(tokenFile);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot delete the token file: " + e.getMessage());
    }
    drive = null;
    folders.clear();
    alerts.clear(Alert.Kind.DRIVE_RELINK, "Google Drive disconnected.");
    Log.info("Google Drive disconnected; refresh token deleted");
    return Map.of("linked", false);
  }

  @Override
  public Optional<String> pausedReason() {
    if (config.clientId().isEmpty()) {
      return Optional.of("Google Drive is not configured (mecam.uploader.drive.client-id)");
    }
    if (relinkReason != null) {
      return Optional.of("Google Drive needs to be re-linked: " + relinkReason);
    }
    if (drive == null) {
      return Optional.of("Google Drive is not linked yet (oauth_authorize)");
    }
    if (clock.instant().isBefore(quotaPausedUntil)) {
      return Optional.of("Google Drive storage quota exceeded; next try at " + quotaPausedUntil);
    }
    return Optional.empty();
  }

  private Drive drive() throws BackendPausedException {
    Optional<String> paused = pausedReason();
    if (paused.isPresent()) {
      throw new BackendPausedException(paused.get());
    }
    return drive;
  }

  // ---------------------------------------------------------------- reading back

  /**
   * The client for reading stored files. Unlike uploads, reads go on while the storage quota is full;
   * they stop only when Drive is not configured, not linked or needs re-linking.
   */
  private Drive readableDrive() throws BackendPausedException {
    if (config.clientId().isEmpty()) {
      throw new BackendPausedException("Google Drive is not configured");
    }
    if (relinkReason != null) {
      throw new BackendPausedException("Google Drive needs to be re-linked: " + relinkReason);
    }
    Drive d = drive;
    if (d == null) {
      throw new BackendPausedException("Google Drive is not linked");
    }
    return d;
  }

  /** The size of stored file {@code fileId}, or empty when Drive has no such file (any more). */
  @Override
  public Optional<Long> storedSize(String fileId) throws RetryableException, BackendPausedException {
    Drive d = readableDrive();
    try {
      File f = d.files().get(fileId).setFields("id,size,trashed").execute();
      if (Boolean.TRUE.equals(f.getTrashed())) {
        return Optional.empty();
      }
      return Optional.of(f.getSize() == null ? 0L : f.getSize());
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw classify(e, "read back");
    } catch (IOException e) {
      throw classify(e, "read back");
    }
  }

  /**
   * Streams bytes {@code first..last} (inclusive) of stored file {@code fileId}: files.get with
   * {@code alt=media} and a {@code Range} header, so nothing is buffered here.
   */
  @Override
  public InputStream read(String fileId, long first, long last) throws RetryableException, BackendPausedException {
    Drive d = readableDrive();
    try {
      Drive.Files.Get get = d.files().get(fileId);
      get.getRequestHeaders().setRange("bytes=" + first + "-" + last);
      HttpResponse r = get.executeMedia();
      InputStream in = r.getContent();
      if (r.getStatusCode() == 200 && first > 0) {
        // Drive sent the whole file (it may ignore Range): skip to the start of the range.
        in.skipNBytes(first);
      }
      return new java.io.FilterInputStream(in) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            r.disconnect();
          }
        }
      };
    } catch (IOException e) {
      throw classify(e, "read back");
    }
  }

  // ---------------------------------------------------------------- storage

  @Override
  public Optional<RemoteFile> find(MediaItem item) throws RetryableException, BackendPausedException {
    Drive d = drive();
    try {
      FileList l = d.files().list()
          .setQ("appProperties has { key='" + MEDIA_ID + "' and value='" + item.mediaId() + "' } and trashed = false")
          .setFields("files(id,size,md5Checksum)")
          .setSpaces("drive")
          .execute();
      if (l.getFiles() == null || l.getFiles().isEmpty()) {
        return Optional.empty();
      }
      File f = l.getFiles().get(0);
      return Optional.of(new RemoteFile(f.getId(), f.getSize() == null ? -1 : f.getSize(), f.getMd5Checksum()));
    } catch (IOException e) {
      throw classify(e, "looking up media " + item.mediaId());
    }
  }

  @Override
  public RemoteFile upload(MediaItem item, SealedFile file, UploadContext context)
      throws RetryableException, BackendPausedException {
    Drive d = drive();
    try {
      String folder = folder(d, OpaqueNames.dayFolder(item.start()));
      File meta = new File().setName(names.fileName(item.mediaId())).setParents(List.of(folder))
          .setMimeType(CONTENT_TYPE).setAppProperties(Map.of(MEDIA_ID, item.mediaId()));
      long chunk = config.chunkKib() * 1024L;
      File done = file.size() <= chunk && context.savedSession().isEmpty()
          ? multipart(d, meta, file, context)
          : resumable(d, meta, file, context, chunk);
      RemoteFile remote = verify(d, done, file);
      quotaPausedUntil = Instant.EPOCH;
      alerts.clear(Alert.Kind.STORAGE_QUOTA, "Google Drive accepts uploads again.");
      return remote;
    } catch (IOException e) {
      throw classify(e, "uploading media " + item.mediaId());
    }
  }

  private File multipart(Drive d, File meta, SealedFile file, UploadContext context) throws IOException {
    try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
      Drive.Files.Create create = d.files().create(meta, new ChunkContent(ch, 0, file.size(), context));
      create.getMediaHttpUploader().setDirectUploadEnabled(true);
      // Ciphertext does not compress; gzip would only cost CPU.
      create.setDisableGZipContent(true);
      return create.setFields("id,size,md5Checksum").execute();
    }
  }

  /**
   * The resumable protocol on the client's own authorised request factory, so the session URI can be
   * kept in the database and a restarted uploader asks Drive how much arrived and sends only the rest.
   */
  private File resumable(Drive d, File meta, SealedFile file, UploadContext context, long chunk)
      throws IOException, RetryableException {
    HttpRequestFactory factory = d.getRequestFactory();
    long total = file.size();
    String session = context.savedSession().orElse(null);
    long offset = 0;
    if (session != null) {
      HttpRequest status = factory.buildPutRequest(new GenericUrl(session), new EmptyContent());
      status.getHeaders().setContentRange("bytes */" + total);
      Step s = step(status);
      if (s.file != null) {
        return s.file;
      }
      if (s.expired) {
        Log.infof("upload session for %s expired; starting a new one", meta.getName());
        session = null;
      } else {
        offset = s.next;
        Log.infof("resuming upload of %s at byte %d of %d", meta.getName(), offset, total);
      }
    }
    if (session == null) {
      HttpRequest init = factory.buildPostRequest(new GenericUrl(config.rootUrl()
          + "upload/drive/v3/files?uploadType=resumable&fields=id,size,md5Checksum"), new JsonHttpContent(json, meta));
      init.getHeaders().set("X-Upload-Content-Type", CONTENT_TYPE);
      init.getHeaders().set("X-Upload-Content-Length", Long.toString(total));
      init.setThrowExceptionOnExecuteError(true);
      HttpResponse r = init.execute();
      session = r.getHeaders().getLocation();
      r.disconnect();
      if (session == null) {
        throw new RetryableException("Drive gave no upload session");
      }
      context.saveSession(session);
    }
    int resyncs = 0;
    try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
      while (true) {
        long len = Math.min(chunk, total - offset);
        HttpRequest put = factory.buildPutRequest(new GenericUrl(session),
            new ChunkContent(ch, offset, len, context));
        // A chunk broken off mid-way is not simply resent: Drive is asked how much arrived (below).
        put.setIOExceptionHandler(null);
        put.getHeaders().setContentRange(len == 0 ? "bytes */" + total
            : "bytes " + offset + "-" + (offset + len - 1) + "/" + total);
        Step s;
        try {
          s = step(put);
        } catch (IOException e) {
          if (e instanceof com.google.api.client.http.HttpResponseException || ++resyncs > 5) {
            throw e;
          }
          // The connection broke mid-chunk: ask Drive how much arrived and go on from there.
          Log.debugf("chunk at %d of %s interrupted (%s); resynchronising", offset, meta.getName(), e.getMessage());
          sleepQuietly(config.retryBaseMillis() << resyncs);
          HttpRequest status = factory.buildPutRequest(new GenericUrl(session), new EmptyContent());
          status.getHeaders().setContentRange("bytes */" + total);
          s = step(status);
        }
        if (s.file != null) {
          context.saveSession(null);
          return s.file;
        }
        if (s.expired) {
          context.saveSession(null);
          throw new RetryableException("upload session expired; the next attempt starts a new one");
        }
        offset = s.next;
      }
    }
  }

  private static String humanDuration(Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + " minutes" : d.toSeconds() + " seconds";
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(Math.min(ms, 30_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The outcome of one request on an upload session. */
  private record Step(File file, long next, boolean expired) {}

  private Step step(HttpRequest request) throws IOException {
    request.setThrowExceptionOnExecuteError(false);
    request.setFollowRedirects(false);
    request.setParser(new JsonObjectParser(json));
    HttpResponse r = request.execute();
    try {
      int code = r.getStatusCode();
      if (code == 200 || code == 201) {
        return new Step(r.parseAs(File.class), -1, false);
      }
      if (code == 308) {
        String range = r.getHeaders().getRange();
        Matcher m = RANGE.matcher(range == null ? "" : range);
        return new Step(null, m.matches() ? Long.parseLong(m.group(1)) + 1 : 0, false);
      }
      if (code == 404 || code == 410) {
        return new Step(null, 0, true);
      }
      throw GoogleJsonResponseException.from(json, r);
    } finally {
      r.disconnect();
    }
  }

  /** A body for one chunk that can be sent again (e.g. after a token refresh) by rereading the file. */
  private static final class ChunkContent extends AbstractInputStreamContent {
    private final FileChannel channel;
    private final long offset;
    private final long length;
    private final UploadContext context;

    ChunkContent(FileChannel channel, long offset, long length, UploadContext context) {
      super(CONTENT_TYPE);
      this.channel = channel;
      this.offset = offset;
      this.length = length;
      this.context = context;
      setCloseInputStream(true);
    }

    @Override
    public InputStream getInputStream() throws IOException {
      InputStream raw = new InputStream() {
        private long pos = offset;
        private final long end = offset + length;

        @Override
        public int read() throws IOException {
          byte[] b = new byte[1];
          return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (pos >= end) {
            return -1;
          }
          int n = channel.read(java.nio.ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
          if (n > 0) {
            pos += n;
          }
          return n;
        }
      };
      return context.throttled(raw);
    }

    @Override
    public long getLength() {
      return length;
    }

    @Override
    public boolean retrySupported() {
      return true;
    }
  }

  /** An empty request body (status queries on an upload session). */
  private static final class EmptyContent extends AbstractInputStreamContent {
    EmptyContent() {
      super(CONTENT_TYPE);
    }

    @Override
    public InputStream getInputStream() {
      return InputStream.nullInputStream();
    }

    @Override
    public long getLength() {
      return 0;
    }

    @Override
    public boolean retrySupported() {
      return true;
    }
  }

  private RemoteFile verify(Drive d, File done, SealedFile file) throws IOException, RetryableException {
    if (done.getMd5Checksum() == null || done.getSize() == null) {
      done = d.files().get(done.getId()).setFields("id,size,md5Checksum").execute();
    }
    if (done.getSize() != file.size() || !file.md5Hex().equals(done.getMd5Checksum())) {
      Log.warnf("Drive copy %s does not match (size %s, md5 %s); deleting it", done.getId(), done.getSize(),
          done.getMd5Checksum());
      d.files().delete(done.getId()).execute();
      throw new RetryableException("Drive copy failed verification (MD5 or size mismatch)");
    }
    return new RemoteFile(done.getId(), done.getSize(), done.getMd5Checksum());
  }

  /** The id of the folder at {@code path} (YYYY/MM/DD), creating missing levels once. */
  private String folder(Drive d, String path) throws IOException {
    String cached = folders.get(path);
    if (cached != null) {
      return cached;
    }
    synchronized (folderLock) {
      String parent = null;
      String sofar = "";
      for (String part : ("/" + path).split("/")) {
        sofar = part.isEmpty() ? "" : (sofar.isEmpty() ? part : sofar + "/" + part);
        String id = folders.get(sofar);
        if (id == null) {
          id = findFolder(d, sofar);
          if (id == null) {
            File meta = new File().setName(sofar.isEmpty() ? config.rootFolder() : part).setMimeType(FOLDER_MIME)
                .setAppProperties(Map.of(FOLDER, sofar));
            if (parent != null) {
              meta.setParents(List.of(parent));
            }
            id = d.files().create(meta).setFields("id").execute().getId();
            Log.debugf("created Drive folder '%s'", sofar.isEmpty() ? config.rootFolder() : sofar);
          }
          folders.put(sofar, id);
        }
        parent = id;
      }
      return parent;
    }
  }

  private String findFolder(Drive d, String path) throws IOException {
    FileList l = d.files().list()
        .setQ("appProperties has { key='" + FOLDER + "' and value='" + path + "' } and mimeType = '"
            + FOLDER_MIME + "' and trashed = false")
        .setFields("files(id)").setSpaces("drive").execute();
    return l.getFiles() == null || l.getFiles().isEmpty() ? null : l.getFiles().get(0).getId();
  }

  @Override
  public int deleteOlderThan(Instant cutoff) throws RetryableException, BackendPausedException {
    Drive d = drive();
    int n = 0;
    try {
      String page = null;
      do {
        FileList l = d.files().list()
            .setQ("createdTime < '" + cutoff.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "' and mimeType != '" + FOLDER_MIME + "' and trashed = false")
            .setFields("nextPageToken,files(id)").setPageSize(100).setPageToken(page).setSpaces("drive").execute();
        if (l.getFiles() != null) {
          for (File f : l.getFiles()) {
            d.files().delete(f.getId()).execute();
            n++;
          }
        }
        page = l.getNextPageToken();
      } while (page != null);
      return n;
    } catch (IOException e) {
      throw classify(e, "retention cleanup");
    }
  }

  @Override
  public String testUpload(SealedFile file, UploadContext context) throws RetryableException, BackendPausedException {
    Drive d = drive();
    try {
      String root = folder(d, "");
      File meta = new File().setName("mecam-test-" + Long.toHexString(System.nanoTime()) + ".mecam")
          .setParents(List.of(root)).setMimeType(CONTENT_TYPE);
      RemoteFile r = verify(d, multipart(d, meta, file, context), file);
      d.files().delete(r.id()).execute();
      return "Google Drive (" + r.size() + " bytes uploaded, MD5 verified, removed)";
    } catch (IOException e) {
      throw classify(e, "test upload");
    }
  }

  /** Turns a client exception into a retry (with Retry-After), a pause (quota, re-link) or a reason. */
  private RetryableException classify(IOException e, String what) throws BackendPausedException {
    if (relinkReason != null) {
      throw new BackendPausedException("Google Drive needs to be re-linked");
    }
    if (e instanceof TokenResponseException t) {
      String err = t.getDetails() == null ? null : t.getDetails().getError();
      if ("invalid_grant".equals(err)) {
        needsRelink("Google refused the stored authorization (invalid_grant)");
        throw new BackendPausedException("Google Drive needs to be re-linked");
      }
      return new RetryableException(what + ": token refresh failed (HTTP " + t.getStatusCode() + ")");
    }
    if (e instanceof GoogleJsonResponseException g) {
      int code = g.getStatusCode();
      GoogleJsonError details = g.getDetails();
      String reason = details != null && details.getErrors() != null && !details.getErrors().isEmpty()
          ? details.getErrors().get(0).getReason() : "";
      if (code == 403 && ("storageQuotaExceeded".equals(reason) || "quotaExceeded".equals(reason))) {
        quotaPausedUntil = clock.instant().plus(config.quotaRetry());
        alerts.raise(Alert.Kind.STORAGE_QUOTA, "Google Drive is full: uploads are paused and retried every "
            + humanDuration(config.quotaRetry()) + "; free space or raise the quota. The queue is kept.");
        throw new BackendPausedException("Google Drive storage quota exceeded");
      }
      Duration retryAfter = RetryableException.parseRetryAfter(
          g.getHeaders() == null ? null : g.getHeaders().getRetryAfter());
      return new RetryableException(what + ": Drive answered HTTP " + code + (reason.isEmpty() ? "" : " " + reason),
          false, retryAfter);
    }
    if (e instanceof com.google.api.client.http.HttpResponseException h) {
      return new RetryableException(what + ": Drive answered HTTP " + h.getStatusCode(), false,
          RetryableException.parseRetryAfter(h.getHeaders() == null ? null : h.getHeaders().getRetryAfter()));
    }
    return new RetryableException(what + ": " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : " " + e.getMessage()));
  }

}
