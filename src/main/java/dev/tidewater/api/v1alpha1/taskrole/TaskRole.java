package dev.tidewater.api.v1alpha1.taskrole;

import dev.tidewater.api.v1alpha1.schema.KindDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An IAM role for tasks: a ServiceAccount (with IRSA / Pod Identity) or an ECS task role. */
@KindDescription(
    value =
        "An IAM role for tasks: a ServiceAccount on the kubernetes backend (with an IAM role for it through IRSA or EKS Pod Identity when the Cluster has an AWS context), an IAM role trusted by ecs-tasks.amazonaws.com on the ecs backend.",
    spec =
        "The role's inline policies, managed policy ARNs, permissions boundary, tags, ServiceAccount name and deletion policy.",
    status =
        "The IAM role ARN, the ServiceAccount (kubernetes backend), the Pod Identity association, conditions and warnings.")
@Group("ecs.tidewater.dev")
@Version("v1alpha1")
@ShortNames("taskrole")
@Categories("ecs")
@AdditionalPrinterColumn(
    name = "Role",
    jsonPath = ".status.roleArn",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "ServiceAccount",
    jsonPath = ".status.serviceAccountName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class TaskRole extends CustomResource<TaskRoleSpec, TaskRoleStatus> implements Namespaced {}
