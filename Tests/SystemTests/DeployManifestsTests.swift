import Foundation
import Testing
import TestSupport

/// The compose file and the Kubernetes manifests, parsed (PyYAML) and checked against the real executables: every
/// flag they pass is one the executable has, every port and address they wire is one a process binds, every key
/// file a Secret maps is one a real data folder holds. No container runs here (no container engine on the test
/// machines), so this is what can be checked of them.
@Suite("deploy: compose and Kubernetes")
struct DeployManifestsTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy")

    /// Every petition container in both files: where it is, its command, and what the file says around it.
    static func containers() throws -> [[String: Any]] {
        let script = """
            import json, yaml
            out = []
            compose = yaml.safe_load(open(\(String(reflecting: deploy.appendingPathComponent("compose/compose.yaml").path))))
            for name, service in compose["services"].items():
                if "command" in service:
                    out.append({"file": "compose", "name": name, "command": service["command"], "image": service.get("image"),
                                "ports": service.get("ports", []), "env": sorted((service.get("environment") or {}).keys())})
            docs = [d for d in yaml.safe_load_all(open(\(String(reflecting: deploy.appendingPathComponent("kubernetes/petition.yaml").path)))) if d]
            services = {d["metadata"]["name"]: [p["port"] for p in d["spec"]["ports"]] for d in docs if d["kind"] == "Service"}
            policies = [d["spec"]["podSelector"]["matchLabels"] for d in docs if d["kind"] == "NetworkPolicy"]
            for d in docs:
                if d["kind"] not in ("Deployment", "StatefulSet"): continue
                spec = d["spec"]["template"]["spec"]
                items = [i["key"] for v in spec.get("volumes", []) if "secret" in v for i in v["secret"].get("items", [])]
                for c in spec["containers"]:
                    out.append({"file": "kubernetes", "name": d["metadata"]["name"], "kind": d["kind"], "replicas": d["spec"].get("replicas"),
                                "command": c["command"], "ports": [p["containerPort"] for p in c.get("ports", [])],
                                "readiness": c.get("readinessProbe"), "liveness": c.get("livenessProbe"),
                                "env": [e["name"] for e in c.get("env", [])], "secretItems": items, "services": services,
                                "labels": d["spec"]["template"]["metadata"]["labels"], "policies": policies,
                                "readOnlyRoot": c.get("securityContext", {}).get("readOnlyRootFilesystem"),
                                "nonRoot": spec.get("securityContext", {}).get("runAsNonRoot")})
            print(json.dumps(out))
            """
        let folder = FileManager.default.temporaryDirectory.path
        let path = (folder as NSString).appendingPathComponent("deploy-check-\(UUID().uuidString).py")
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", path])
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]], "\(run.stdout) \(run.stderr)")
    }

    @Test("every flag the compose file and the manifests pass is one the executable has")
    func everyFlagIsReal() throws {
        let containers = try Self.containers()
        #expect(Set(containers.filter { $0["file"] as? String == "compose" }.compactMap { ($0["command"] as? [String])?.first })
                == ["petition-gateway", "petition-projector", "petition-escalator", "petition-notifier", "petition-api"])
        #expect(Set(containers.filter { $0["file"] as? String == "kubernetes" }.compactMap { ($0["command"] as? [String])?.first })
                == ["petition-gateway", "petition-projector", "petition-escalator", "petition-notifier", "petition-api"])
        var helps: [String: String] = [:]
        for container in containers {
            let command = try #require(container["command"] as? [String])
            let binary = command[0]
            if helps[binary] == nil { helps[binary] = try runTool(binary, ["--help"]).stdout }
            for flag in command.dropFirst() where flag.hasPrefix("--") {
                #expect(helps[binary]!.contains("  \(flag) ") || helps[binary]!.contains("  \(flag)\n"),
                        "\(container["file"]!) \(container["name"]!): \(binary) has no \(flag)")
            }
            // Every process but the gateway reaches the gateway by the name the file gives it.
            let host = command.firstIndex(of: "--host").map { command[$0 + 1] }
            if binary == "petition-gateway" {
                #expect(host == "0.0.0.0", "the gateway binds every address of its container")
            } else if container["file"] as? String == "compose" {
                #expect(host == "gateway", "\(container["name"]!) connects to \(host ?? "loopback")")
            } else {
                let services = container["services"] as? [String: [Int]] ?? [:]
                #expect(host.map { services[$0] == [7400, 7401, 7402] } == true, "\(container["name"]!) connects to \(host ?? "loopback"), a Service with the gateway's ports")
            }
        }
    }

    @Test("the gateway is a writer and a standby behind one Service that only the ready writer serves; probes and ports are the processes' own")
    func kubernetesWiring() throws {
        let pods = try Self.containers().filter { $0["file"] as? String == "kubernetes" }
        let gateway = try #require(pods.first { $0["name"] as? String == "petition-gateway" })
        #expect(gateway["kind"] as? String == "StatefulSet" && gateway["replicas"] as? Int == 2)
        #expect(((gateway["readiness"] as? [String: Any])?["tcpSocket"] as? [String: Any])?["port"] as? Int == 7400,
                "only the gateway that binds 7400 (the writer) is ready")
        #expect(gateway["liveness"] == nil || gateway["liveness"] is NSNull, "a standby binds nothing, so no liveness probe may kill it for that")
        #expect((gateway["env"] as? [String] ?? []).contains("PETITION_STORE"))
        let services = gateway["services"] as? [String: [Int]] ?? [:]
        #expect(services["petition-gateway"] == [7400, 7401, 7402] && services["petition-projector"] == [7403] && services["petition-api"] == [8080])
        let api = try #require(pods.first { $0["name"] as? String == "petition-api" })
        let command = api["command"] as? [String] ?? []
        #expect(command.firstIndex(of: "--http-port").map { command[$0 + 1] } == "8080" && api["ports"] as? [Int] == [8080])
        #expect(((api["readiness"] as? [String: Any])?["httpGet"] as? [String: Any])?["path"] as? String == "/health/ready")
        #expect(((api["liveness"] as? [String: Any])?["httpGet"] as? [String: Any])?["path"] as? String == "/health/live")
        // The workers' liveness is their own /health/live, beside their metrics.
        for name in ["petition-projector", "petition-escalator", "petition-notifier"] {
            let pod = try #require(pods.first { $0["name"] as? String == name })
            let probe = (pod["liveness"] as? [String: Any])?["httpGet"] as? [String: Any]
            let command = pod["command"] as? [String] ?? []
            #expect(probe?["path"] as? String == "/health/live" && (probe?["port"] as? Int).map(String.init) == command.firstIndex(of: "--metrics-port").map { command[$0 + 1] },
                    "\(name)'s liveness probe asks its own metrics port")
        }
        for pod in pods {
            let labels = pod["labels"] as? [String: String] ?? [:]
            let policies = pod["policies"] as? [[String: String]] ?? []
            let selecting = policies.filter { $0.allSatisfy { labels[$0.key] == $0.value } }
            #expect(!selecting.isEmpty, "\(pod["name"]!) is under a NetworkPolicy (no ingress but what one allows)")
            if !(pod["ports"] as? [Int] ?? []).isEmpty {
                #expect(selecting.contains { $0["app.kubernetes.io/name"] == labels["app.kubernetes.io/name"] }, "\(pod["name"]!) serves ports: a NetworkPolicy says who may reach them")
            }
            #expect(pod["readOnlyRoot"] as? Bool == true && pod["nonRoot"] as? Bool == true, "\(pod["name"]!) runs as no root on a read-only root")
        }
    }

    @Test("every key file the manifests' Secret maps is one a gateway's data folder holds")
    func secretItemsAreRealKeyFiles() throws {
        let system = try TestSystem()
        try system.startGateway()
        let folder = system.dataDirectory as NSString
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("keys")))
            .union(FileManager.default.fileExists(atPath: folder.appendingPathComponent("servers.json")) ? ["servers.json"] : [])
        let pods = try Self.containers().filter { $0["file"] as? String == "kubernetes" }
        for pod in pods {
            for item in pod["secretItems"] as? [String] ?? [] {
                #expect(present.contains(item), "\(pod["name"]!) maps \(item), which no data folder holds (it has \(present.sorted()))")
            }
        }
        let gateway = try #require(pods.first { $0["name"] as? String == "petition-gateway" })
        #expect(Set(gateway["secretItems"] as? [String] ?? []).isSuperset(of: ["personal-data.key", "checkpoint-signing.key", "petition-gateway.json"]))
    }
}
