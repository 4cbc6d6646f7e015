// Starts AWS's DynamoDB Local listening on 127.0.0.1 only. Its own launcher (ServerRunner) binds
// every interface and has no option to choose one, while the database holds task tokens and order
// data; so this builds the server the way ServerRunner does, points its Jetty connectors at
// loopback, and starts it. Run as a single-file source program (`java -cp <jar>:<lib>/* this.java
// <DynamoDB Local's own options>`), which needs a JDK's compiler module; without one, the caller
// falls back to the jar's own launcher and says so.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    System.out.println("countersign: DynamoDB Local bound to 127.0.0.1");
    proxy.start();
  }
}
