"""A hand-curated skills lexicon and a careful matcher for it (no ML).

:data:`SKILLS` maps each canonical, lowercase skill to the spellings that are
matched case-insensitively; :data:`CASE_SENSITIVE` adds spellings that only
count with their exact capitalisation, for names that are also ordinary
English words ("Go", "R", "React", "Swift", "Spring").  Spellings are
literal text (escaped when compiled); a space or hyphen inside a spelling
matches any run of spaces or hyphens, so "test driven development" also finds
"test-driven development".

Matching respects word boundaries *and* punctuation that is part of a name
(``c++``, ``c#``, ``.net``, ``node.js``), prefers the longest spelling at a
position ("React Native" is not also "React", "JavaScript" is never "Java"),
and applies a few context guards ("go to market", "R&D", "C-level",
"John R. Smith", "Spring 2021" are not skills).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

# (canonical, display name, spellings).  A spelling starting with "=" is
# case-sensitive.  Grouped by category; the category drives question wording.
_Entry = tuple[str, str, list[str]]

_LANGUAGES: list[_Entry] = [
    ("python", "Python", ["python", "python3", "python 3", "cpython"]),
    ("java", "Java", ["java", "java ee", "j2ee", "jakarta ee"]),
    ("javascript", "JavaScript", ["javascript", "java script", "js", "ecmascript", "es6", "es2015", "vanilla js"]),
    ("typescript", "TypeScript", ["typescript"]),
    ("go", "Go", ["golang", "=Go"]),
    ("rust", "Rust", ["rustlang", "=Rust"]),
    ("c", "C", ["=C", "ansi c", "c99", "c11"]),
    ("c++", "C++", ["c++", "cpp", "c plus plus", "c++11", "c++14", "c++17", "c++20"]),
    ("c#", "C#", ["c#", "csharp", "c sharp"]),
    ("f#", "F#", ["f#", "fsharp"]),
    ("kotlin", "Kotlin", ["kotlin"]),
    ("scala", "Scala", ["scala"]),
    ("swift", "Swift", ["=Swift", "swift 5", "swift language"]),
    ("objective-c", "Objective-C", ["objective-c", "objective c", "objc", "obj-c"]),
    ("ruby", "Ruby", ["=Ruby", "ruby language"]),
    ("php", "PHP", ["php", "php7", "php8"]),
    ("perl", "Perl", ["perl"]),
    ("r", "R", ["=R", "rstudio", "r programming", "r language", "tidyverse", "ggplot2"]),
    ("julia", "Julia", ["=Julia", "julialang"]),
    ("matlab", "MATLAB", ["matlab"]),
    ("dart", "Dart", ["=Dart", "dart language"]),
    ("elixir", "Elixir", ["elixir"]),
    ("erlang", "Erlang", ["erlang"]),
    ("haskell", "Haskell", ["haskell"]),
    ("clojure", "Clojure", ["clojure", "clojurescript"]),
    ("ocaml", "OCaml", ["ocaml"]),
    ("lua", "Lua", ["lua"]),
    ("groovy", "Groovy", ["=Groovy"]),
    ("bash", "Bash", ["bash", "shell scripting", "shell scripts", "shell script", "zsh"]),
    ("powershell", "PowerShell", ["powershell"]),
    ("solidity", "Solidity", ["solidity"]),
    ("zig", "Zig", ["=Zig", "ziglang"]),
    ("fortran", "Fortran", ["fortran"]),
    ("cobol", "COBOL", ["cobol"]),
    ("assembly", "assembly language", ["assembly language", "x86 assembly", "arm assembly", "x86-64 assembly"]),
    ("vba", "VBA", ["vba", "visual basic"]),
    ("verilog", "Verilog", ["verilog", "systemverilog"]),
    ("vhdl", "VHDL", ["vhdl"]),
    ("lisp", "Lisp", ["lisp", "common lisp"]),
]

_WEB: list[_Entry] = [
    ("html", "HTML", ["html", "html5"]),
    ("css", "CSS", ["css", "css3"]),
    ("sass", "Sass", ["sass", "scss"]),
    ("react", "React", ["=React", "react.js", "reactjs", "react js", "react hooks"]),
    ("angular", "Angular", ["angular", "angularjs", "angular.js"]),
    ("vue", "Vue.js", ["vue", "vue.js", "vuejs", "vue 3"]),
    ("svelte", "Svelte", ["svelte", "sveltekit"]),
    ("next.js", "Next.js", ["next.js", "nextjs"]),
    ("nuxt", "Nuxt", ["nuxt", "nuxt.js", "nuxtjs"]),
    ("ember.js", "Ember.js", ["ember.js", "emberjs", "=Ember"]),
    ("gatsby", "Gatsby", ["gatsby.js", "gatsbyjs", "=Gatsby"]),
    ("redux", "Redux", ["redux", "redux toolkit"]),
    ("jquery", "jQuery", ["jquery"]),
    ("webpack", "webpack", ["webpack"]),
    ("vite", "Vite", ["vite", "vitejs"]),
    ("babel", "Babel", ["babel", "babeljs"]),
    ("tailwind css", "Tailwind CSS", ["tailwind", "tailwind css", "tailwindcss"]),
    ("bootstrap", "Bootstrap", ["=Bootstrap", "twitter bootstrap"]),
    ("material ui", "Material UI", ["material ui", "material-ui", "=MUI"]),
    ("storybook", "Storybook", ["storybook"]),
    ("d3.js", "D3.js", ["d3.js", "d3js", "=D3"]),
    ("three.js", "three.js", ["three.js", "threejs"]),
    ("webassembly", "WebAssembly", ["webassembly", "wasm"]),
    ("web components", "Web Components", ["web components"]),
]

_BACKEND: list[_Entry] = [
    ("node.js", "Node.js", ["node.js", "nodejs", "node js", "=Node"]),
    ("deno", "Deno", ["deno"]),
    ("express", "Express", ["express.js", "expressjs", "=Express"]),
    ("nestjs", "NestJS", ["nestjs", "nest.js"]),
    ("django", "Django", ["django", "django rest framework", "drf"]),
    ("flask", "Flask", ["flask"]),
    ("fastapi", "FastAPI", ["fastapi"]),
    ("tornado", "Tornado", ["=Tornado"]),
    ("aiohttp", "aiohttp", ["aiohttp"]),
    ("asyncio", "asyncio", ["asyncio"]),
    ("celery", "Celery", ["celery"]),
    ("sqlalchemy", "SQLAlchemy", ["sqlalchemy"]),
    ("pydantic", "Pydantic", ["pydantic"]),
    ("spring", "Spring", ["spring boot", "spring framework", "spring mvc", "spring cloud", "spring data", "springboot", "=Spring"]),
    ("hibernate", "Hibernate", ["hibernate", "jpa"]),
    (".net", ".NET", [".net", ".net core", "dotnet", "dot net"]),
    ("asp.net", "ASP.NET", ["asp.net", "asp.net core", "asp.net mvc"]),
    ("entity framework", "Entity Framework", ["entity framework", "ef core"]),
    ("laravel", "Laravel", ["laravel"]),
    ("symfony", "Symfony", ["symfony"]),
    ("rails", "Ruby on Rails", ["ruby on rails", "rails", "ror"]),
    ("sinatra", "Sinatra", ["sinatra"]),
    ("phoenix", "Phoenix Framework", ["phoenix framework", "phoenix liveview"]),
    ("actix", "Actix", ["actix", "actix-web"]),
    ("tokio", "Tokio", ["tokio"]),
    ("grpc", "gRPC", ["grpc", "protobuf", "protocol buffers"]),
    ("graphql", "GraphQL", ["graphql", "apollo graphql"]),
    ("rest", "REST APIs", ["=REST", "restful", "rest api", "rest apis", "restful apis", "rest services"]),
    ("websockets", "WebSockets", ["websocket", "websockets"]),
    ("oauth", "OAuth", ["oauth", "oauth2", "oauth 2.0", "openid connect", "oidc"]),
    ("jwt", "JWT", ["jwt", "json web tokens", "json web token"]),
    ("electron", "Electron", ["=Electron", "electron.js", "electronjs"]),
    ("qt", "Qt", ["=Qt", "pyqt", "qt5", "qt6"]),
]

_MOBILE: list[_Entry] = [
    ("android", "Android", ["android", "android sdk"]),
    ("ios", "iOS", ["ios"]),
    ("swiftui", "SwiftUI", ["swiftui"]),
    ("uikit", "UIKit", ["uikit"]),
    ("jetpack compose", "Jetpack Compose", ["jetpack compose"]),
    ("flutter", "Flutter", ["flutter"]),
    ("react native", "React Native", ["react native"]),
    ("xamarin", "Xamarin", ["xamarin"]),
    ("ionic", "Ionic", ["=Ionic", "ionic framework"]),
]

_DATABASES: list[_Entry] = [
    ("sql", "SQL", ["sql"]),
    ("nosql", "NoSQL", ["nosql"]),
    ("postgresql", "PostgreSQL", ["postgres", "postgresql", "psql", "postgis"]),
    ("mysql", "MySQL", ["mysql"]),
    ("mariadb", "MariaDB", ["mariadb"]),
    ("sqlite", "SQLite", ["sqlite", "sqlite3"]),
    ("sql server", "SQL Server", ["sql server", "mssql", "ms sql", "microsoft sql server"]),
    ("oracle database", "Oracle Database", ["oracle database", "oracle db", "oracle 12c", "oracle 19c", "oracle sql"]),
    ("pl/sql", "PL/SQL", ["pl/sql", "plsql"]),
    ("t-sql", "T-SQL", ["t-sql", "tsql"]),
    ("mongodb", "MongoDB", ["mongodb", "mongo", "mongoose"]),
    ("redis", "Redis", ["redis"]),
    ("cassandra", "Cassandra", ["=Cassandra", "apache cassandra", "scylladb"]),
    ("dynamodb", "DynamoDB", ["dynamodb", "dynamo db"]),
    ("elasticsearch", "Elasticsearch", ["elasticsearch", "elastic search"]),
    ("opensearch", "OpenSearch", ["opensearch"]),
    ("neo4j", "Neo4j", ["neo4j", "cypher query language"]),
    ("couchdb", "CouchDB", ["couchdb", "couchbase"]),
    ("cockroachdb", "CockroachDB", ["cockroachdb"]),
    ("snowflake", "Snowflake", ["=Snowflake"]),
    ("bigquery", "BigQuery", ["bigquery", "big query"]),
    ("redshift", "Redshift", ["redshift", "amazon redshift"]),
    ("clickhouse", "ClickHouse", ["clickhouse"]),
    ("influxdb", "InfluxDB", ["influxdb"]),
    ("timescaledb", "TimescaleDB", ["timescaledb"]),
    ("memcached", "Memcached", ["memcached", "memcache"]),
    ("firestore", "Firestore", ["firestore"]),
    ("duckdb", "DuckDB", ["duckdb"]),
    ("database design", "database design", ["database design", "schema design", "database schema design"]),
]

_MESSAGING: list[_Entry] = [
    ("kafka", "Kafka", ["kafka", "apache kafka", "kafka streams"]),
    ("rabbitmq", "RabbitMQ", ["rabbitmq", "rabbit mq", "amqp"]),
    ("activemq", "ActiveMQ", ["activemq"]),
    ("sqs", "Amazon SQS", ["sqs", "amazon sqs"]),
    ("pub/sub", "Pub/Sub", ["pub/sub", "pubsub", "google pub/sub"]),
    ("kinesis", "Kinesis", ["kinesis"]),
    ("nats", "NATS", ["=NATS"]),
    ("zeromq", "ZeroMQ", ["zeromq", "zmq", "0mq"]),
    ("mqtt", "MQTT", ["mqtt"]),
]

_CLOUD: list[_Entry] = [
    ("aws", "AWS", ["aws", "amazon web services"]),
    ("gcp", "Google Cloud", ["gcp", "google cloud", "google cloud platform"]),
    ("azure", "Azure", ["azure", "microsoft azure"]),
    ("ec2", "EC2", ["ec2"]),
    ("s3", "S3", ["s3", "amazon s3"]),
    ("lambda", "AWS Lambda", ["=Lambda", "aws lambda"]),
    ("ecs", "ECS", ["ecs", "fargate"]),
    ("eks", "EKS", ["eks"]),
    ("gke", "GKE", ["gke"]),
    ("aks", "AKS", ["aks"]),
    ("rds", "RDS", ["rds", "amazon aurora"]),
    ("cloudformation", "CloudFormation", ["cloudformation"]),
    ("aws cdk", "AWS CDK", ["aws cdk", "=CDK"]),
    ("cloudwatch", "CloudWatch", ["cloudwatch"]),
    ("iam", "IAM", ["=IAM"]),
    ("cloud run", "Cloud Run", ["cloud run"]),
    ("azure functions", "Azure Functions", ["azure functions"]),
    ("heroku", "Heroku", ["heroku"]),
    ("vercel", "Vercel", ["vercel"]),
    ("netlify", "Netlify", ["netlify"]),
    ("digitalocean", "DigitalOcean", ["digitalocean", "digital ocean"]),
    ("cloudflare", "Cloudflare", ["cloudflare"]),
    ("firebase", "Firebase", ["firebase"]),
    ("supabase", "Supabase", ["supabase"]),
    ("openstack", "OpenStack", ["openstack"]),
]

_DEVOPS: list[_Entry] = [
    ("docker", "Docker", ["docker", "dockerfile", "docker compose", "docker-compose"]),
    ("kubernetes", "Kubernetes", ["kubernetes", "k8s", "kubectl"]),
    ("helm", "Helm", ["=Helm", "helm charts", "helm chart"]),
    ("terraform", "Terraform", ["terraform"]),
    ("pulumi", "Pulumi", ["pulumi"]),
    ("ansible", "Ansible", ["ansible"]),
    ("chef", "Chef", ["=Chef", "chef infra"]),
    ("puppet", "Puppet", ["=Puppet"]),
    ("jenkins", "Jenkins", ["jenkins"]),
    ("github actions", "GitHub Actions", ["github actions"]),
    ("gitlab ci", "GitLab CI", ["gitlab ci", "gitlab ci/cd", "gitlab-ci"]),
    ("circleci", "CircleCI", ["circleci", "circle ci"]),
    ("travis ci", "Travis CI", ["travis ci", "travis-ci"]),
    ("argo cd", "Argo CD", ["argo cd", "argocd", "argo workflows"]),
    ("prometheus", "Prometheus", ["prometheus"]),
    ("grafana", "Grafana", ["grafana"]),
    ("datadog", "Datadog", ["datadog"]),
    ("new relic", "New Relic", ["new relic", "newrelic"]),
    ("splunk", "Splunk", ["splunk"]),
    ("elk stack", "ELK stack", ["elk stack", "=ELK", "logstash", "kibana"]),
    ("opentelemetry", "OpenTelemetry", ["opentelemetry", "otel"]),
    ("jaeger", "Jaeger", ["=Jaeger"]),
    ("sentry", "Sentry", ["=Sentry"]),
    ("pagerduty", "PagerDuty", ["pagerduty"]),
    ("nginx", "NGINX", ["nginx"]),
    ("apache httpd", "Apache HTTP Server", ["apache httpd", "apache http server", "httpd"]),
    ("haproxy", "HAProxy", ["haproxy"]),
    ("linux", "Linux", ["linux", "ubuntu", "debian", "centos", "rhel", "red hat enterprise linux"]),
    ("unix", "Unix", ["unix"]),
    ("vagrant", "Vagrant", ["vagrant"]),
    ("packer", "Packer", ["=Packer", "hashicorp packer"]),
    ("istio", "Istio", ["istio"]),
    ("envoy", "Envoy", ["=Envoy", "envoy proxy"]),
    ("consul", "Consul", ["=Consul", "hashicorp consul"]),
    ("vault", "HashiCorp Vault", ["hashicorp vault"]),
    ("openshift", "OpenShift", ["openshift"]),
    ("podman", "Podman", ["podman"]),
    ("git", "Git", ["git"]),
    ("github", "GitHub", ["github"]),
    ("gitlab", "GitLab", ["gitlab"]),
    ("bitbucket", "Bitbucket", ["bitbucket"]),
]

_DATA: list[_Entry] = [
    ("pandas", "pandas", ["pandas"]),
    ("numpy", "NumPy", ["numpy"]),
    ("scipy", "SciPy", ["scipy"]),
    ("polars", "Polars", ["polars"]),
    ("dask", "Dask", ["dask"]),
    ("spark", "Apache Spark", ["apache spark", "=Spark", "spark sql", "spark streaming"]),
    ("pyspark", "PySpark", ["pyspark"]),
    ("hadoop", "Hadoop", ["hadoop", "hdfs", "mapreduce"]),
    ("hive", "Hive", ["=Hive", "apache hive", "hiveql"]),
    ("airflow", "Airflow", ["airflow", "apache airflow"]),
    ("dagster", "Dagster", ["dagster"]),
    ("dbt", "dbt", ["dbt"]),
    ("flink", "Flink", ["flink", "apache flink"]),
    ("apache beam", "Apache Beam", ["apache beam"]),
    ("databricks", "Databricks", ["databricks"]),
    ("etl", "ETL", ["etl", "elt", "etl pipelines", "data pipelines", "data pipeline"]),
    ("data warehousing", "data warehousing", ["data warehousing", "data warehouse", "data warehouses", "data lake", "data lakehouse"]),
    ("data modeling", "data modelling", ["data modeling", "data modelling", "dimensional modeling", "dimensional modelling", "star schema"]),
    ("tableau", "Tableau", ["tableau"]),
    ("power bi", "Power BI", ["power bi", "powerbi"]),
    ("looker", "Looker", ["looker", "lookml"]),
    ("excel", "Excel", ["=Excel", "microsoft excel", "ms excel", "spreadsheets"]),
    ("jupyter", "Jupyter", ["jupyter", "jupyter notebooks", "jupyterlab", "ipython"]),
    ("matplotlib", "Matplotlib", ["matplotlib"]),
    ("seaborn", "seaborn", ["seaborn"]),
    ("plotly", "Plotly", ["plotly", "dash plotly"]),
    ("statistics", "statistics", ["statistics", "statistical modeling", "statistical modelling", "statistical analysis", "hypothesis testing", "bayesian statistics", "regression analysis"]),
    ("a/b testing", "A/B testing", ["a/b testing", "a/b tests", "a/b test", "ab testing", "split testing"]),
    ("data visualization", "data visualisation", ["data visualization", "data visualisation", "dashboards", "dashboarding"]),
    ("sas", "SAS", ["=SAS"]),
    ("stata", "Stata", ["stata"]),
    ("spss", "SPSS", ["spss"]),
]

_ML: list[_Entry] = [
    ("machine learning", "machine learning", ["machine learning", "=ML"]),
    ("deep learning", "deep learning", ["deep learning", "neural networks", "neural network"]),
    ("nlp", "NLP", ["nlp", "natural language processing"]),
    ("computer vision", "computer vision", ["computer vision", "image recognition", "object detection"]),
    ("llm", "LLMs", ["llm", "llms", "large language models", "large language model", "generative ai", "genai", "prompt engineering"]),
    ("rag", "RAG", ["=RAG", "retrieval augmented generation", "retrieval-augmented generation", "vector database", "vector databases"]),
    ("reinforcement learning", "reinforcement learning", ["reinforcement learning"]),
    ("recommender systems", "recommender systems", ["recommender systems", "recommender system", "recommendation systems", "recommendation system", "recommendation engine"]),
    ("time series", "time-series forecasting", ["time series", "time-series", "forecasting"]),
    ("feature engineering", "feature engineering", ["feature engineering", "feature store"]),
    ("mlops", "MLOps", ["mlops", "model deployment", "model serving"]),
    ("scikit-learn", "scikit-learn", ["scikit-learn", "scikit learn", "sklearn"]),
    ("tensorflow", "TensorFlow", ["tensorflow", "tf.keras", "tensorflow lite"]),
    ("pytorch", "PyTorch", ["pytorch", "torch", "pytorch lightning"]),
    ("keras", "Keras", ["keras"]),
    ("jax", "JAX", ["=JAX"]),
    ("xgboost", "XGBoost", ["xgboost"]),
    ("lightgbm", "LightGBM", ["lightgbm"]),
    ("catboost", "CatBoost", ["catboost"]),
    ("mlflow", "MLflow", ["mlflow"]),
    ("kubeflow", "Kubeflow", ["kubeflow"]),
    ("sagemaker", "SageMaker", ["sagemaker", "amazon sagemaker"]),
    ("hugging face", "Hugging Face", ["hugging face", "huggingface", "hugging face transformers"]),
    ("langchain", "LangChain", ["langchain", "llamaindex"]),
    ("opencv", "OpenCV", ["opencv"]),
    ("nltk", "NLTK", ["nltk"]),
    ("spacy", "spaCy", ["spacy"]),
    ("onnx", "ONNX", ["onnx"]),
    ("cuda", "CUDA", ["cuda"]),
]

_TESTING: list[_Entry] = [
    ("pytest", "pytest", ["pytest"]),
    ("jest", "Jest", ["=Jest", "jestjs"]),
    ("mocha", "Mocha", ["=Mocha"]),
    ("cypress", "Cypress", ["cypress"]),
    ("selenium", "Selenium", ["selenium", "webdriver"]),
    ("playwright", "Playwright", ["=Playwright"]),
    ("junit", "JUnit", ["junit", "junit5"]),
    ("mockito", "Mockito", ["mockito"]),
    ("rspec", "RSpec", ["rspec"]),
    ("testng", "TestNG", ["testng"]),
    ("postman", "Postman", ["postman"]),
    ("load testing", "load testing", ["load testing", "performance testing", "jmeter", "locust", "k6"]),
    ("unit testing", "unit testing", ["unit testing", "unit tests", "unit test"]),
    ("integration testing", "integration testing", ["integration testing", "integration tests", "end-to-end testing", "e2e testing", "e2e tests"]),
]

_PRACTICES: list[_Entry] = [
    ("tdd", "TDD", ["tdd", "test driven development", "test-driven development", "test-driven"]),
    ("bdd", "BDD", ["bdd", "behavior driven development", "behaviour driven development", "cucumber", "gherkin"]),
    ("ci/cd", "CI/CD", ["ci/cd", "cicd", "ci / cd", "continuous integration", "continuous delivery", "continuous deployment"]),
    ("microservices", "microservices", ["microservices", "microservice", "micro-services", "microservice architecture", "service-oriented architecture", "soa"]),
    ("serverless", "serverless", ["serverless"]),
    ("event-driven architecture", "event-driven architecture", ["event-driven architecture", "event driven architecture", "event-driven", "event sourcing", "cqrs"]),
    ("domain-driven design", "domain-driven design", ["domain-driven design", "domain driven design", "ddd"]),
    ("distributed systems", "distributed systems", ["distributed systems", "distributed system", "distributed computing"]),
    ("system design", "system design", ["system design", "systems design", "software architecture"]),
    ("design patterns", "design patterns", ["design patterns", "design pattern", "solid principles"]),
    ("oop", "object-oriented programming", ["oop", "object-oriented programming", "object oriented programming", "object-oriented design", "ood"]),
    ("functional programming", "functional programming", ["functional programming"]),
    ("data structures", "data structures and algorithms", ["data structures", "algorithms", "data structures and algorithms", "dsa"]),
    ("caching", "caching", ["caching", "cache invalidation", "cdn"]),
    ("load balancing", "load balancing", ["load balancing", "load balancer", "load balancers"]),
    ("observability", "observability", ["observability", "monitoring and alerting", "distributed tracing"]),
    ("concurrency", "concurrency", ["concurrency", "multithreading", "multi-threading", "parallel programming", "async programming"]),
    ("api design", "API design", ["api design", "api development", "openapi", "swagger"]),
    ("agile", "Agile", ["agile", "agile methodologies"]),
    ("scrum", "Scrum", ["scrum", "sprint planning"]),
    ("kanban", "Kanban", ["kanban"]),
    ("devops", "DevOps", ["devops", "devsecops"]),
    ("sre", "site reliability engineering", ["sre", "site reliability engineering", "site reliability", "slos", "slo", "error budgets"]),
    ("infrastructure as code", "infrastructure as code", ["infrastructure as code", "iac"]),
    ("code review", "code review", ["code review", "code reviews"]),
    ("pair programming", "pair programming", ["pair programming", "pairing", "mob programming"]),
    ("accessibility", "accessibility", ["accessibility", "a11y", "wcag"]),
    ("security", "application security", ["application security", "appsec", "owasp", "penetration testing", "threat modeling", "threat modelling"]),
    ("performance optimization", "performance optimisation", ["performance optimization", "performance optimisation", "performance tuning"]),
    ("high availability", "high availability", ["high availability", "fault tolerance", "disaster recovery"]),
    ("technical leadership", "technical leadership", ["technical leadership", "tech lead", "mentoring", "mentored", "mentorship"]),
    ("open source", "open source", ["open source", "open-source"]),
]

_TOOLS: list[_Entry] = [
    ("jira", "Jira", ["jira"]),
    ("confluence", "Confluence", ["=Confluence"]),
    ("figma", "Figma", ["figma"]),
    ("tcp/ip", "TCP/IP networking", ["tcp/ip", "tcp", "udp", "networking protocols"]),
    ("http", "HTTP", ["http", "http/2", "https", "http/3"]),
    ("blockchain", "blockchain", ["blockchain", "ethereum", "web3", "smart contracts"]),
    ("unity", "Unity", ["unity3d", "unity engine", "=Unity"]),
    ("unreal engine", "Unreal Engine", ["unreal engine", "ue4", "ue5"]),
    ("opengl", "OpenGL", ["opengl", "vulkan", "directx"]),
    ("embedded systems", "embedded systems", ["embedded systems", "embedded c", "firmware", "rtos", "microcontrollers", "arduino", "raspberry pi"]),
]

_GROUPS: dict[str, list[_Entry]] = {
    "language": _LANGUAGES,
    "web": _WEB,
    "backend": _BACKEND,
    "mobile": _MOBILE,
    "database": _DATABASES,
    "messaging": _MESSAGING,
    "cloud": _CLOUD,
    "devops": _DEVOPS,
    "data": _DATA,
    "ml": _ML,
    "testing": _TESTING,
    "practice": _PRACTICES,
    "tool": _TOOLS,
}

SKILLS: dict[str, list[str]] = {}
"""Canonical skill -> spellings matched case-insensitively."""
CASE_SENSITIVE: dict[str, list[str]] = {}
"""Canonical skill -> spellings that only count with this exact capitalisation."""
DISPLAY_NAMES: dict[str, str] = {}
"""Canonical skill -> how to write it in a sentence ("postgresql" -> "PostgreSQL")."""
CATEGORIES: dict[str, str] = {}
"""Canonical skill -> category (language, web, backend, database, cloud, ...)."""

for _category, _entries in _GROUPS.items():
    for _canonical, _display, _spellings in _entries:
        if _canonical in SKILLS:
            raise RuntimeError(f"duplicate lexicon entry {_canonical!r}")
        SKILLS[_canonical] = [s for s in _spellings if not s.startswith("=")]
        CASE_SENSITIVE[_canonical] = [s[1:] for s in _spellings if s.startswith("=")]
        DISPLAY_NAMES[_canonical] = _display
        CATEGORIES[_canonical] = _category

_ALIAS_INDEX: dict[str, str] = {}
for _canonical in SKILLS:
    for _spelling in [*SKILLS[_canonical], *CASE_SENSITIVE[_canonical], _canonical]:
        _ALIAS_INDEX.setdefault(_spelling.lower(), _canonical)


class SkillMatch(NamedTuple):
    start: int
    end: int
    skill: str
    text: str


# --------------------------------------------------------------- guards

_Guard = Callable[[str, int, int], bool]
"""(text, start, end) -> True when the match is NOT really the skill."""

_NEXT_WORD_RE = re.compile(r"[\s\-]*([A-Za-z']+)")
_GO_NOT_LANGUAGE = {
    "to", "live", "beyond", "above", "back", "ahead", "through", "over", "further",
    "deeper", "getter", "getters", "out", "into", "along", "after", "against",
    "forward", "wrong", "green", "big", "viral", "away", "public",
}
_SEASON_FOLLOWERS = {
    "semester", "term", "quarter", "break", "season", "internship", "intern", "cohort",
    "session", "recruiting", "hiring", "of", "and",
}


def _next_word(text: str, end: int) -> str:
    match = _NEXT_WORD_RE.match(text, end)
    return match.group(1).lower() if match else ""


def _guard_go(text: str, start: int, end: int) -> bool:
    return _next_word(text, end) in _GO_NOT_LANGUAGE


def _guard_letter(text: str, start: int, end: int) -> bool:
    """Single-letter languages (C, R): reject initials, R&D, C-level, (c), ..."""
    before = text[max(0, start - 40):start]
    after = text[end:end + 12]
    if before[-1:] in {"-", ".", "'", "\u2019", "&", "@"}:
        return True
    if re.match(r"(?:&|'|\u2019|-|\.\w|\s+(?:level|suite|corp|inc)\b)", after, re.IGNORECASE):
        return True
    if before.endswith("(") and after.startswith(")"):
        return True  # (c) copyright, (R) trademark
    if after.startswith(".") and re.search(r"\b[A-Z][a-z]+\s+$", before):
        return True  # a middle initial: "John R. Smith"
    if re.search(r"\b(?:grade|grades|section|type|class|plan|vitamin|level|tier|series|part|appendix|building|block|room|team|group|round)[:\s]+$", before, re.IGNORECASE):
        return True
    if re.match(r"\s+[A-Z][a-z]+\b", after) and re.search(r"(?:^|\n)\s*[A-Z][a-z]+\s+$", before):
        return True  # a name at the start of a line: "Maria C Lopez"
    return False


def _guard_person_name(text: str, start: int, end: int) -> bool:
    """Ruby/Julia/Cassandra as a first name: followed by a capitalised surname."""
    follower = re.match(r"\s+([A-Z][a-z]+)", text[end:end + 40])
    if not follower:
        return False
    return follower.group(1) not in {"On", "And", "Developer", "Engineer", "Programming"}


def _guard_season(text: str, start: int, end: int) -> bool:
    after = text[end:end + 20]
    if re.match(r"\s*(?:'|\u2019)?\d{2,4}\b", after):
        return True
    if re.search(r"(?:fall|autumn|winter|summer|this|last|next|in|the|early|late)\s*[/,]?\s*$", text[max(0, start - 12):start], re.IGNORECASE):
        return True
    return _next_word(text, end) in _SEASON_FOLLOWERS


def _guard_express(text: str, start: int, end: int) -> bool:
    return bool(re.search(r"American\s+$", text[max(0, start - 12):start]))


def _guard_common_word(text: str, start: int, end: int) -> bool:
    """Capitalised English words (Bootstrap, Helm, Spark, ...) at a sentence start
    count only when they are not followed by a lowercase continuation that
    reads as prose ("Bootstrapped", "Sentry duty", "Chef de partie")."""
    word = text[start:end]
    nxt = _next_word(text, end)
    if word == "Chef" and nxt in {"de", "at", "and", "in"}:
        return True
    if word == "Playwright" and nxt in {"and", "of", "whose", "who"}:
        return True
    return False


def _guard_lambda(text: str, start: int, end: int) -> bool:
    return _next_word(text, end) in {"school", "calculus", "labs", "function", "functions", "expressions"}


_GUARDS: dict[str, _Guard] = {
    "lambda": _guard_lambda,
    "go": _guard_go,
    "c": _guard_letter,
    "r": _guard_letter,
    "ruby": _guard_person_name,
    "julia": _guard_person_name,
    "cassandra": _guard_person_name,
    "spring": _guard_season,
    "express": _guard_express,
    "chef": _guard_common_word,
    "playwright": _guard_common_word,
}


# ------------------------------------------------------------- matching


def _spelling_regex(spelling: str) -> str:
    """The regex for one spelling, right boundary included.

    The left boundary is checked in Python (:func:`_left_ok`): a look-behind at
    the start of a pattern stops ``re`` from skipping ahead quickly and makes
    matching about ten times slower.
    """
    parts = [re.escape(part) for part in re.split(r"[\s\-]+", spelling.strip()) if part]
    body = r"[\s\-]+".join(parts)
    right = r"(?![\w+#])" if spelling[-1].isalnum() or spelling[-1] in "+#" else r"(?!\w)"
    return body + right


def _left_ok(text: str, start: int) -> bool:
    if start == 0:
        return True
    before = text[start - 1]
    if before.isalnum() or before in "_@":
        return False
    # ".net" must not start inside "asp.net"; "js" may follow "node." only via "node.js"
    return not (before == "." and not text[start].isalnum())


def _compile(canonical: str) -> re.Pattern[str]:
    insensitive = sorted(SKILLS[canonical], key=len, reverse=True)
    sensitive = sorted(CASE_SENSITIVE[canonical], key=len, reverse=True)
    alternatives = [_spelling_regex(s) for s in insensitive]
    alternatives += [f"(?-i:{_spelling_regex(s)})" for s in sensitive]
    return re.compile("|".join(alternatives), re.IGNORECASE)


_PATTERNS: dict[str, re.Pattern[str]] = {skill: _compile(skill) for skill in SKILLS}


def _needles(skill: str) -> tuple[str, ...]:
    """Lowercase fragments at least one of which must occur for ``skill`` to match."""
    fragments = {re.split(r"[\s\-]+", s.strip().lower())[0] for s in SKILLS[skill] + CASE_SENSITIVE[skill]}
    return tuple(sorted(f for f in fragments if f))


_NEEDLE_INDEX: dict[str, list[str]] = {}
for _skill in SKILLS:
    for _needle in _needles(_skill):
        _NEEDLE_INDEX.setdefault(_needle, []).append(_skill)
_NEEDLE_ITEMS = tuple(_NEEDLE_INDEX.items())


def _candidate_skills(lowered: str) -> list[str]:
    """Skills with at least one spelling fragment in ``lowered`` (a cheap pre-check)."""
    present: set[str] = set()
    for needle, skills in _NEEDLE_ITEMS:
        if needle in lowered:
            present.update(skills)
    return [skill for skill in SKILLS if skill in present]

_URLISH_RE = re.compile(
    r"://|www\.|\w@[\w-]+\.|[\w-]+\.(?:com|io|org|dev|me|ai|co)/|\b(?:github\.(?:com|io)|linkedin\.com)\b",
    re.IGNORECASE,
)


def _in_url_or_email(text: str, start: int, end: int) -> bool:
    token_start = start
    while token_start > 0 and not text[token_start - 1].isspace():
        token_start -= 1
    token_end = end
    while token_end < len(text) and not text[token_end].isspace():
        token_end += 1
    token = text[token_start:token_end]
    return bool(_URLISH_RE.search(token))


def find_skill_mentions(text: str) -> list[SkillMatch]:
    """Every non-overlapping skill mention in ``text``, in order of position.

    Where spellings of different skills overlap, the one starting first wins,
    and at the same position the longest wins.
    """
    candidates: list[SkillMatch] = []
    for skill in _candidate_skills(text.lower()):
        pattern = _PATTERNS[skill]
        guard = _GUARDS.get(skill)
        position = 0
        while (match := pattern.search(text, position)) is not None:
            start, end = match.span()
            position = start + 1
            if not _left_ok(text, start):
                continue
            if guard is not None and guard(text, start, end):
                continue
            if _in_url_or_email(text, start, end):
                continue
            candidates.append(SkillMatch(start, end, skill, match.group(0)))
            position = end
    candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
    accepted: list[SkillMatch] = []
    last_end = -1
    for candidate in candidates:
        if candidate.start >= last_end:
            accepted.append(candidate)
            last_end = candidate.end
    return accepted


def find_skills(text: str) -> list[str]:
    """Canonical skills mentioned in ``text``, ordered by first mention."""
    seen: dict[str, None] = {}
    for mention in find_skill_mentions(text):
        seen.setdefault(mention.skill, None)
    return list(seen)


NOT_SKILLS: frozenset[str] = frozenset({
    # soft skills and interview themes: real, but not what "You list X on your resume" asks about
    "communication", "feedback", "learning", "teamwork", "collaboration", "leadership",
    "mentoring", "ownership", "conflict", "stakeholders", "stakeholder management", "influence",
    "motivation", "initiative", "prioritization", "prioritisation", "decision-making",
    "accountability", "customer-focus", "ambiguity", "pressure", "ethics", "failure",
    "time management", "problem solving", "problem-solving", "adaptability", "creativity",
    "empathy", "negotiation", "presentation", "public speaking", "teaching", "growth",
    "self-learning", "continuous learning", "attention to detail", "work ethic", "culture",
    "career-growth", "hiring", "estimation", "on-call", "incident-response", "motivation",
    # everyday words that happen to be bank tags
    "errors", "design", "cost", "constraints", "practices", "fundamentals", "gotchas", "math",
    "events", "functions", "strings", "search", "tooling", "memory", "layout", "components",
    "validation", "metrics", "performance", "reliability", "availability", "scalability",
    "consistency", "internals", "architecture", "storage", "complexity", "debugging",
    "optimization", "optimisation", "scaling", "resources", "deployment", "monitoring",
    "security", "testing", "cloud", "platform", "failure", "latency", "offline", "urls",
    "upgrades", "stateless", "troubleshooting", "logging", "migrations", "virtualization",
    "hierarchies", "intervals", "pointers", "recursion", "sorting", "hashing", "typing",
    "time-series", "real-time", "streaming", "queues", "events", "data-quality", "fairness",
    "interpretability", "experimentation", "statistics", "browser", "rendering",
})
"""Bank tags that never count as a skill on a resume (soft skills and everyday words)."""


def canonical_skill(name: str) -> str | None:
    """The canonical skill for a spelling ("Postgres" -> "postgresql"), or None."""
    return _ALIAS_INDEX.get(name.strip().lower())


def display_name(skill: str) -> str:
    """How to write ``skill`` in a sentence; unknown skills are returned as given."""
    return DISPLAY_NAMES.get(skill, skill)


def skill_category(skill: str) -> str | None:
    """The lexicon category of ``skill`` (e.g. "database"), or None if unknown."""
    return CATEGORIES.get(skill)
