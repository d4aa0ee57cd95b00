package dev.tidewater.routing;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/** A load balancer made in moto for one test: its VPC, two subnets and an HTTP:80 listener. */
record Alb(String vpc, LoadBalancer loadBalancer, String listenerArn) {

  /**
   * Makes it: VPC {@code net}.0.0/16, subnets {@code net}.1.0/24 (us-east-1a) and {@code
   * net}.2.0/24 (us-east-1b), load balancer {@code name}, a listener on port 80 answering 404.
   */
  static Alb create(Ec2Client ec2, ElasticLoadBalancingV2Client elb, String net, String name) {
    String vpc = ec2.createVpc(r -> r.cidrBlock(net + ".0.0/16")).vpc().vpcId();
    String subnetA =
        ec2.createSubnet(
                r -> r.vpcId(vpc).cidrBlock(net + ".1.0/24").availabilityZone("us-east-1a"))
            .subnet()
            .subnetId();
    String subnetB =
        ec2.createSubnet(
                r -> r.vpcId(vpc).cidrBlock(net + ".2.0/24").availabilityZone("us-east-1b"))
            .subnet()
            .subnetId();
    LoadBalancer lb =
        elb.createLoadBalancer(r -> r.name(name).subnets(subnetA, subnetB)).loadBalancers().get(0);
    String listenerArn =
        elb.createListener(
                r ->
                    r.loadBalancerArn(lb.loadBalancerArn())
                        .port(80)
                        .protocol("HTTP")
                        .defaultActions(
                            a ->
                                a.type(ActionTypeEnum.FIXED_RESPONSE)
                                    .fixedResponseConfig(f -> f.statusCode("404"))))
            .listeners()
            .get(0)
            .listenerArn();
    return new Alb(vpc, lb, listenerArn);
  }
}
